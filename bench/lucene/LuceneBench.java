// LuceneBench: the Lucene peer of bench/speed.sh, the counterpart of bench/plain_xapian.cpp. Plain Lucene 8 as a
// user would set it up: GermanAnalyzer (default stopwords), IndexWriter defaults, classic QueryParser, BM25 (the
// default similarity), UnifiedHighlighter for snippets.
//
//   LuceneBench index INDEX_DIR FEED.jsonl...         each body paragraph and each comment is one document
//   LuceneBench latency INDEX_DIR QUERIES.txt [REPEAT] query latency as bench/latency.h: top 10 with snippets
//
// Needs Debian's liblucene8-java (lucene-core, -analyzers-common, -queryparser, -highlighter, -memory, -queries)
// and libgoogle-gson-java (gson.jar) for JSON; bench/lucene/build.sh compiles it.

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

public final class LuceneBench {
  private static final String TEXT = "text";  // analysed, stored (the highlighter reads it back)
  private static final String ID = "id";  // the article's id, stored only
  private static final int TOP_K = 10;
  // IndexWriter's one non-default setting: a 64 MB indexing buffer instead of 16 MB, so that the ~20 MB corpus
  // is flushed as few segments (what anyone indexing in bulk would set).
  private static final double RAM_BUFFER_MB = 64;

  private LuceneBench() {}

  public static void main(String[] args) {
    try {
      if (args.length >= 3 && args[0].equals("index")) {
        System.exit(index(Paths.get(args[1]), Arrays.asList(args).subList(2, args.length)));
      }
      if ((args.length == 3 || args.length == 4) && args[0].equals("latency")) {
        System.exit(latency(Paths.get(args[1]), Paths.get(args[2]), args.length == 4 ? Integer.parseInt(args[3]) : 3));
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("LuceneBench: " + e);
      System.exit(2);
    }
    System.err.println("usage: LuceneBench index INDEX_DIR FEED.jsonl...\n"
        + "       LuceneBench latency INDEX_DIR QUERIES.txt [REPEAT]");
    System.exit(2);
  }

  // ---- reading input as plain_xapian does: lines end at '\n' only; "blank" is ASCII whitespace ----

  private static boolean blank(CharSequence s) {
    for (int i = 0; i < s.length(); ++i) {
      final char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != '\u000b') return false;
    }
    return true;
  }

  /** Reads raw lines split at '\n' (the '\n' dropped, a '\r' kept), like std::getline. */
  private static final class LineReader {
    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(1 << 16);

    LineReader(Path path) throws IOException {
      in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
    }

    /** The next line's bytes, or null at the end. */
    byte[] next() throws IOException {
      line.reset();
      int b;
      while ((b = in.read()) != -1 && b != '\n') line.write(b);
      if (b == -1 && line.size() == 0) {
        in.close();
        return null;
      }
      return line.toByteArray();
    }
  }

  private static boolean blank(byte[] bytes) {
    return blank(new String(bytes, StandardCharsets.ISO_8859_1));  // only ASCII whitespace matters
  }

  // ---- index ----

  private static final TypeAdapter<JsonElement> JSON = new Gson().getAdapter(JsonElement.class);

  /** Strict JSON (RFC 8259, one value, nothing after it), as nlohmann::json::parse; invalid UTF-8 fails too. */
  private static JsonElement parseJson(byte[] bytes) throws IOException {
    final String s = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    final JsonReader reader = new JsonReader(new StringReader(s));  // strict unless setLenient(true)
    final JsonElement value = JSON.read(reader);
    if (reader.peek() != JsonToken.END_DOCUMENT) throw new MalformedJsonException("data after the JSON value");
    return value;
  }

  private static final class Writer implements AutoCloseable {
    private final IndexWriter writer;
    private long count = 0;

    Writer(Path dir, Analyzer analyzer) throws IOException {
      final IndexWriterConfig config = new IndexWriterConfig(analyzer);
      config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);  // overwrite, as Xapian's DB_CREATE_OR_OVERWRITE
      config.setRAMBufferSizeMB(RAM_BUFFER_MB);
      writer = new IndexWriter(FSDirectory.open(dir), config);
    }

    void add(String text, String id) throws IOException {
      if (blank(text)) return;
      final Document doc = new Document();
      doc.add(new TextField(TEXT, text, Field.Store.YES));
      if (id != null) doc.add(new StoredField(ID, id));
      writer.addDocument(doc);
      ++count;
    }

    /** Commits and closes; close() also waits for Lucene's background merges, so the index is finished. */
    @Override
    public void close() throws IOException {
      writer.commit();
      writer.close();
      writer.getDirectory().close();
    }
  }

  private static boolean isString(JsonElement e) {
    return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
  }

  /** Body paragraphs (runs of non-blank lines) and comment texts, each one document; the title is not indexed. */
  private static long indexFeed(Writer w, Path file) throws IOException {
    long badLines = 0;
    long lineno = 0;
    final LineReader lines = new LineReader(file);
    for (byte[] bytes; (bytes = lines.next()) != null; ) {
      ++lineno;
      if (blank(bytes)) continue;
      final JsonElement value;
      try {
        value = parseJson(bytes);
      } catch (IOException | JsonParseException | IllegalStateException e) {  // CharacterCodingException is an IOException
        System.err.println("warning: " + file + ":" + lineno + ": not JSON (" + e.getMessage() + "); skipped");
        ++badLines;
        continue;
      }
      if (!value.isJsonObject() || !isString(value.getAsJsonObject().get("body"))) {
        System.err.println("warning: " + file + ":" + lineno + ": no string 'body'; skipped");
        ++badLines;
        continue;
      }
      final JsonObject rec = value.getAsJsonObject();
      final String id = isString(rec.get("id")) ? rec.get("id").getAsString() : null;
      final StringBuilder para = new StringBuilder();
      for (String l : rec.get("body").getAsString().split("\n", -1)) {
        if (blank(l)) {
          w.add(para.toString(), id);
          para.setLength(0);
        } else {
          if (para.length() > 0) para.append('\n');
          para.append(l);
        }
      }
      w.add(para.toString(), id);
      final JsonElement comments = rec.get("comments");
      if (comments != null && comments.isJsonArray()) {
        for (JsonElement c : (JsonArray) comments) {
          if (c.isJsonObject() && isString(c.getAsJsonObject().get("text"))) {
            w.add(c.getAsJsonObject().get("text").getAsString(), id);
          }
        }
      }
    }
    return badLines;
  }

  private static int index(Path dir, List<String> feeds) throws IOException {
    final long t0 = System.nanoTime();
    long badLines = 0;
    long count;
    try (Writer w = new Writer(dir, new GermanAnalyzer())) {
      for (String f : feeds) badLines += indexFeed(w, Paths.get(f));
      count = w.count;
    }
    final double secs = (System.nanoTime() - t0) / 1e9;
    System.out.println(String.format(Locale.ROOT, "files: %d, documents: %d indexed, bad feed lines: %d in %.2f s",
        feeds.size(), count, badLines, secs));
    return 0;
  }

  // ---- latency (bench/latency.h) ----

  /** One query per line; blank lines (only ' ', '\t', '\r') skipped. */
  private static List<String> readQueries(Path path) throws IOException {
    final List<String> out = new ArrayList<>();
    final LineReader lines = new LineReader(path);
    for (byte[] bytes; (bytes = lines.next()) != null; ) {
      final String line = new String(bytes, StandardCharsets.UTF_8);
      if (line.chars().anyMatch(c -> c != ' ' && c != '\t' && c != '\r')) out.add(line);
    }
    return out;
  }

  private static int latency(Path dir, Path queriesPath, int repeat) throws IOException {
    final List<String> queries = readQueries(queriesPath);
    final Analyzer analyzer = new GermanAnalyzer();
    try (Directory directory = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(directory)) {
      final IndexSearcher searcher = new IndexSearcher(reader);  // BM25Similarity by default
      final QueryParser parser = new QueryParser(TEXT, analyzer);  // default operator OR
      final UnifiedHighlighter highlighter = new UnifiedHighlighter(searcher, analyzer);  // one passage per hit
      final Set<String> warned = new HashSet<>();
      final long[] snippetChars = {0};

      // One call: parse, top 10, a snippet of each hit from its stored text. Returns the number of hits.
      final Run run = text -> {
        final Query query;
        try {
          query = parser.parse(text);
        } catch (ParseException e) {
          if (warned.add(text)) {
            System.err.println("warning: query \"" + text + "\" does not parse (" + e.getMessage().split("\n", 2)[0] + "); no hits");
          }
          return 0;
        }
        final TopDocs top = searcher.search(query, TOP_K);
        for (String snippet : highlighter.highlight(TEXT, query, top)) {
          if (snippet != null) snippetChars[0] += snippet.length();
        }
        return top.scoreDocs.length;
      };

      long hits = 0;
      for (String q : queries) hits += run.run(q);  // warm-up: JIT, caches
      final double[] ms = new double[queries.size() * Math.max(repeat, 0)];
      int n = 0;
      for (int r = 0; r < repeat; ++r) {
        for (String q : queries) {
          final long t0 = System.nanoTime();
          run.run(q);
          ms[n++] = (System.nanoTime() - t0) / 1e6;
        }
      }
      Arrays.sort(ms);
      double sum = 0;
      for (double m : ms) sum += m;
      System.out.println(String.format(Locale.ROOT,
          "latency: queries %d, timed %d, p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, mean %.3f ms, hits %d",
          queries.size(), ms.length, pct(ms, 0.50), pct(ms, 0.95), pct(ms, 0.99),
          ms.length == 0 ? 0.0 : sum / ms.length, hits));
      return snippetChars[0] > 0 ? 0 : 1;
    }
  }

  @FunctionalInterface
  private interface Run {
    int run(String query) throws IOException;
  }

  /** ms[min(n-1, floor(p*n))] of the sorted times, as latency.h. */
  private static double pct(double[] ms, double p) {
    return ms.length == 0 ? 0.0 : ms[Math.min(ms.length - 1, (int) (p * ms.length))];
  }
}
