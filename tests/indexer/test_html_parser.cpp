// HTML article pages: metadata, the main text without the page frame, reader comments, charsets, broken markup.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "base/file_kinds.h"
#include "indexer/html_parser.h"
#include "test_support.h"

namespace fundstelle::indexer {
namespace {

using Strings = std::vector<std::string>;

HtmlParse parse(const std::string& html) { return parse_html_article(html, "page.html", "/tmp/page.html"); }

HtmlParse parse_fixture(const std::string& name) {
  // (the pages of the extraction benchmark, bench/extraction/)
  const auto path = test::source_dir() / "bench" / "extraction" / name;
  return parse_html_article(test::read_text(path), name, path.string());
}

// Everything the article makes searchable, as one string.
std::string searchable(const Article& a) {
  std::string out = a.title + "\n";
  for (const auto& p : a.paragraphs) out += p + "\n";
  for (const auto& c : a.comments) out += c.text + "\n";
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("html: a news page gives its metadata, its text and its comments, none of the page frame", "[html]") {
  const HtmlParse p = parse_fixture("01_regionalzeitung.html");
  const Article& a = p.article;
  CHECK(p.charset == "UTF-8");
  CHECK(p.language == "de");
  CHECK(p.warnings.empty());
  CHECK(a.id == "01_regionalzeitung.html");
  CHECK(a.title == "Batteriefabrik in der Lausitz: Zulieferer eröffnet Entwicklungszentrum");
  CHECK(a.url == "https://www.example-zeitung.de/wirtschaft/batteriefabrik-lausitz-123.html");
  CHECK(a.published == "2024-03-12T08:30:00+01:00");
  CHECK(a.author == "Jana Beispiel");
  CHECK(a.tags == Strings{"Elektromobilität", "Lausitz"});
  // The lead in the article's header, the body with its subheading as a paragraph of its own, in order; the
  // headline is the title, not repeated as text.
  REQUIRE(a.paragraphs.size() == 6);
  CHECK(a.paragraphs[0].starts_with("Ein Zulieferer der Autoindustrie baut in Schwarzheide"));
  CHECK(a.paragraphs[1].starts_with("Die Entscheidung fiel nach monatelangen Verhandlungen"));
  CHECK(a.paragraphs[2] ==
        "Im neuen Entwicklungszentrum sollen vor allem Zellchemien ohne Kobalt erprobt werden. Die ersten Prototypen "
        "würden bereits Ende des Jahres erwartet, hieß es aus dem Unternehmen. „Wir wollen die Wertschöpfung nach "
        "Europa holen“, sagte der Vorstandsvorsitzende bei der Vorstellung der Pläne.");
  CHECK(a.paragraphs[3] == "Kritik von Umweltverbänden");
  CHECK(a.paragraphs[5] ==
        "Das Land sagte zu, die Genehmigungsverfahren zu beschleunigen. Baubeginn soll im Herbst sein.");
  // Each comment with its own author and date, a reply as a comment of its own; no author line, reply link,
  // pingback or form.
  REQUIRE(a.comments.size() == 2);
  CHECK(a.comments[0].author == "Klaus M.");
  CHECK(a.comments[0].published == "2024-03-12T10:15:00+01:00");
  CHECK(a.comments[0].text ==
        "Endlich passiert mal etwas in der Region. Hoffentlich bleiben die Arbeitsplätze auch langfristig hier.");
  CHECK(a.comments[1].author == "Sabine");
  CHECK(a.comments[1].text == "Und woher soll das Wasser kommen? Das fragt niemand.");
  const std::string all = searchable(a);
  for (const char* clutter : {"Cookies",        "Politik",       "Startseite",
                              "Teilen",         "Anzeige",       "Stromtarif",
                              "Mehr zum Thema", "Grünheide",     "Schlagworte",
                              "Newsletter",     "Kommentare zu", "sagt:",
                              "Antworten",      "Pingback",      "Schreibe einen Kommentar",
                              "E-Mail-Adresse", "Impressum",     "Alle Rechte vorbehalten",
                              "12. März 2024",  "cookie-banner"})
    CHECK_FALSE(contains(all, clutter));
}

TEST_CASE("html: without marks, prose is told from link lists and labels by length, links and stopwords", "[html]") {
  const HtmlParse p = parse(R"(<html><head><title>Wasserstoff im Hafen – Nordkurier Online</title></head><body>
<div id="top"><div class="links"><a href="/1">Nachrichten</a> | <a href="/2">Regionales</a> | <a
href="/3">Wetter</a> | <a href="/4">Anzeigen</a></div></div>
<table><tr><td class="col1"><a href="/x">Lokales</a><br><a href="/y">Sport</a><br><a href="/z">Kultur</a></td>
<td class="col2">
<div>Rostock. Im Überseehafen soll bis 2027 eine Anlage entstehen, die aus Windstrom Wasserstoff herstellt.
Die Stadtwerke und zwei Reedereien haben sich dafür zusammengeschlossen, wie sie am Montag mitteilten.</div>
<div>Foto: dpa</div>
<div>Die Anlage soll zunächst eine Leistung von 30 Megawatt haben. Der Wasserstoff ist für Schiffe gedacht,
die im Hafen liegen und dort bisher ihre Dieselmotoren laufen lassen, um Strom zu erzeugen. Das sei nicht nur
laut, sondern belaste auch die Luft in den angrenzenden Wohngebieten.</div>
<div>Weitere Artikel: <a href="/a">Hafenfest abgesagt</a> <a href="/b">Neue Fähre nach Dänemark</a> <a
href="/c">Streik im Hafen</a></div>
</td></tr></table>
<div>Copyright 2024 Nordkurier Mediengruppe GmbH &amp; Co. KG</div>
</body></html>)");
  const Article& a = p.article;
  CHECK(a.title == "Wasserstoff im Hafen");  // the site's name cut off the <title>
  REQUIRE(a.paragraphs.size() == 2);
  CHECK(a.paragraphs[0].starts_with("Rostock. Im Überseehafen soll bis 2027"));
  CHECK(a.paragraphs[1].starts_with("Die Anlage soll zunächst eine Leistung von 30 Megawatt haben."));
  const std::string all = searchable(a);
  for (const char* clutter : {"Nachrichten", "Lokales", "Weitere Artikel", "Hafenfest", "Copyright", "Foto: dpa"})
    CHECK_FALSE(contains(all, clutter));
}

TEST_CASE("html: furniture words name blocks - not the markup of words inside a sentence", "[html]") {
  // LibreOffice's help marks a dialog's field as <span class="widget">; a teaser card is a block.
  const HtmlParse p = parse(R"(<html><body><main><h1>Suchen und Ersetzen</h1>
<p>Um den Text zu finden, geben Sie ihn im Feld <span class="widget">Suchen</span> ein und klicken Sie auf die
Schaltfläche <span class="widget">Alle suchen</span>, dann werden alle Stellen im Dokument markiert.</p>
<div class="widget"><p>Das Wetter in Rostock: sonnig bei 18 Grad, morgen zieht von Westen Regen auf und die
Temperaturen fallen deutlich, wie der Wetterdienst am Abend mitteilte.</p></div>
</main></body></html>)");
  REQUIRE(p.article.paragraphs.size() == 1);
  CHECK(contains(p.article.paragraphs[0], "im Feld Suchen ein und klicken Sie auf die Schaltfläche Alle suchen,"));
}

TEST_CASE("html: a data table is text as a whole - a table of prose keeps its header row", "[html]") {
  const std::string prose =
      "<p>Der Gemeinderat hat am Abend über den Haushalt beraten und ihn mit großer Mehrheit beschlossen, wie "
      "die Stadt mitteilte. Die Ergebnisse der Wahl stehen in der Tabelle.</p>";
  // Short cells (parties and numbers) between prose: kept, though each alone is a label.
  HtmlParse p = parse("<html><body>" + prose +
                      "<table><tr><th>Liste</th><th>Sitze</th></tr><tr><td>Grüne</td><td>12</td></tr>"
                      "<tr><td>CDU</td><td>6</td></tr></table>" +
                      prose + "<div><a href=/x>Impressum</a></div></body></html>");
  CHECK(p.article.paragraphs == std::vector<std::string>{prose.substr(3, prose.size() - 7), "Liste", "Sitze", "Grüne",
                                                         "12", "CDU", "6", prose.substr(3, prose.size() - 7)});
  // A table of prose keeps its column heading ("Verwendung"), the section of the cells below it.
  p = parse("<html><body><main><table><tr><td><p>Zeichen</p></td><td><p>Verwendung</p></td></tr>"
            "<tr><td><p>^</p></td><td><p>Am Anfang eines Absatzes oder einer Zelle. Spezielle Objekte wie leere "
            "Felder oder verankerte Rahmen werden dabei nicht beachtet, wie die Hilfe erklärt.</p></td></tr>"
            "</table></main></body></html>");
  REQUIRE(p.article.paragraphs.size() >= 2);
  CHECK(p.article.paragraphs[0] == "Zeichen");
  CHECK(p.article.paragraphs[1] == "Verwendung");
}

TEST_CASE("html: a page whose whole text is hidden for its scripts to show is read with it", "[html]") {
  const std::string text =
      "<p>Teilt zuvor verbundene Zellen wieder in die ursprünglichen Zellen zurück, und der Inhalt wird dabei "
      "wiederhergestellt, wenn er beim Verbinden behalten wurde.</p>";
  // LibreOffice's help: every module's variant hidden, one shown by JavaScript.
  HtmlParse p = parse("<html><body><div id=DisplayArea><span hidden=true class=CALC><h1>Zellen trennen</h1>" + text +
                      "</span></div></body></html>");
  REQUIRE(p.article.paragraphs.size() == 1);
  CHECK(p.article.title == "Zellen trennen");
  // A page with visible text leaves its hidden parts out as before (a cookie dialog, a collapsed menu).
  p = parse("<html><body><article>" + text +
            "<div hidden>Wir verwenden Cookies, um Ihnen das beste Erlebnis auf "
            "unserer Website zu bieten, und teilen Daten mit Partnern.</div></article></body></html>");
  REQUIRE(p.article.paragraphs.size() == 1);
  CHECK_FALSE(contains(p.article.paragraphs[0], "Cookies"));
}

TEST_CASE("html: charsets are read as declared, else as browsers guess", "[html]") {
  // windows-1252 declared the old way: umlauts and the typographic quotes of 0x84 and 0x93.
  const std::string cp1252 =
      "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"><title>Stra\xDF"
      "e</title></head><body><article><p>Der B\xFCrgermeister sagte: \x84Wir brauchen die Stra\xDF"
      "enbahn nach M\xFCnchen-Nord, und zwar schnell.\x93 Die Kosten sch\xE4tzt die Stadt auf 80 Millionen Euro "
      "\x80.</p></article></body></html>";
  HtmlParse p = parse(cp1252);
  CHECK(p.charset == "windows-1252");
  REQUIRE(p.article.paragraphs.size() == 1);
  CHECK(p.article.title == "Straße");
  CHECK(contains(p.article.paragraphs[0], "Der Bürgermeister sagte: „Wir brauchen die Straßenbahn nach München-Nord"));
  CHECK(contains(p.article.paragraphs[0], "schnell.“"));
  CHECK(contains(p.article.paragraphs[0], "80 Millionen Euro €."));

  // <meta charset> in HTML5 form, here a charset that is not windows-1252 at all (ISO-8859-15 has € at 0xA4).
  p = parse("<!doctype html><meta charset=ISO-8859-15><title>Preis</title><p>Der Preis betr\xE4gt 12 \xA4 f\xFCr "
            "jeden einzelnen Monat, den das Abonnement l\xE4uft, und er kann monatlich gek\xFCndigt werden.</p>");
  CHECK(p.charset == "iso-8859-15");
  REQUIRE(p.article.paragraphs.size() == 1);
  CHECK(contains(p.article.paragraphs[0], "beträgt 12 € für jeden"));

  // Undeclared: UTF-8 when the bytes are valid UTF-8, else windows-1252.
  const std::string prose = " ist ein Wort, das in dieser Zeitung schon sehr oft gestanden hat und das auch "
                            "heute wieder in einem langen Satz steht, damit es als Text gelesen wird.";
  p = parse("<p>Gr\xC3\xBC\xC3\x9F"
            "e" +
            prose + "</p>");
  CHECK(p.charset == "UTF-8");
  CHECK(p.article.paragraphs.at(0).starts_with("Grüße ist"));
  p = parse("<p>Gr\xFC\xDF"
            "e" +
            prose + "</p>");
  CHECK(p.charset == "windows-1252");
  CHECK(p.article.paragraphs.at(0).starts_with("Grüße ist"));

  // A byte order mark decides, whatever the page declares: UTF-8, and UTF-16 little endian.
  p = parse("\xEF\xBB\xBF<meta charset=iso-8859-1><p>\xC3\x84rger" + prose + "</p>");
  CHECK(p.charset == "UTF-8");
  CHECK(p.article.paragraphs.at(0).starts_with("Ärger ist"));
  std::string utf16 = "\xFF\xFE";
  for (const char c : "<p>Abc" + prose + "</p>") {
    if (c == '\0') break;
    utf16.push_back(c);
    utf16.push_back('\0');
  }
  p = parse(utf16);
  CHECK(p.charset == "UTF-16LE");
  CHECK(p.article.paragraphs.at(0).starts_with("Abc ist"));

  // An unknown charset: said, and read as if undeclared.
  p = parse("<meta charset=x-klingonisch><p>\xC3\x84rger" + prose + "</p>");
  CHECK(p.charset == "UTF-8");
  REQUIRE(p.warnings.size() == 1);
  CHECK(contains(p.warnings[0], "unknown charset \"x-klingonisch\""));

  // The transport's charset counts first; one ICU does not know gives way to the page's own (the euro sign
  // 0xA4 of ISO-8859-15 tells it from the fallback windows-1252); UTF-16 from the transport is UTF-16.
  const std::string latin9 = "<meta charset=iso-8859-15><p>5 \xA4 " + prose + "</p>";
  p = parse_html_article(latin9, "a", "a", "windows-1252");
  CHECK(p.article.paragraphs.at(0).starts_with("5 ¤ ist"));
  p = parse_html_article(latin9, "a", "a", "x-klingonisch");
  CHECK(p.article.paragraphs.at(0).starts_with("5 € ist"));
  REQUIRE(p.warnings.size() == 1);
  CHECK(contains(p.warnings[0], "unknown charset \"x-klingonisch\" (Content-Type)"));
  p = parse_html_article(utf16.substr(2), "a", "a", "utf-16le");
  CHECK(p.article.paragraphs.at(0).starts_with("Abc ist"));
}

TEST_CASE("html: entities are decoded, white space collapsed", "[html]") {
  const HtmlParse p = parse(
      "<article><h1>Test</h1><p>M&uuml;ller &amp; S&ouml;hne&nbsp;GmbH sagen: &#8222;Wir&#x20;liefern&ldquo;\n\n   "
      "und    zwar p&uuml;nktlich, so wie es in diesem Vertrag mit der Stadt vereinbart worden ist.</p></article>");
  REQUIRE(p.article.paragraphs.size() == 1);
  CHECK(p.article.paragraphs[0] == "Müller & Söhne GmbH sagen: „Wir liefern“ und zwar pünktlich, so wie es in diesem "
                                   "Vertrag mit der Stadt vereinbart worden ist.");
  CHECK(p.article.title == "Test");
}

TEST_CASE("html: metadata falls back from og: to JSON-LD, h1, <title> and <time>", "[html]") {
  const std::string prose = "<p>Die Stadtverordneten haben am Abend mit großer Mehrheit beschlossen, dass die "
                            "Bibliothek auch an Sonntagen geöffnet wird, zunächst für ein Jahr.</p>";
  HtmlParse p = parse(R"(<head><script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"X"},
      {"@type":["NewsArticle"],"headline":"Bibliothek sonntags offen","datePublished":"2024-05-02T18:00:00.000+0200",
       "author":{"@type":"Person","name":"Eva Muster"},"keywords":"Kultur, Bibliothek"}]}</script></head>
      <body><article>)" +
                      prose + "</article></body>");
  CHECK(p.article.title == "Bibliothek sonntags offen");
  CHECK(p.article.published == "2024-05-02T18:00:00.000+0200");  // ISO 8601, kept as written
  CHECK(p.article.author == "Eva Muster");
  CHECK(p.article.tags == Strings{"Kultur", "Bibliothek"});

  p = parse("<title>Startseite | Stadtbote</title><article><h1>Sonntags in die Bibliothek</h1><time "
            "datetime=\"2024-05-02\">2. Mai</time>" +
            prose + "</article>");
  CHECK(p.article.title == "Sonntags in die Bibliothek");
  CHECK(p.article.published == "2024-05-02");
  CHECK(p.article.paragraphs.size() == 1);  // the headline is the title; the date line is not text

  p = parse("<title>Bibliothek: Sonntags offen - Stadtbote</title><body>" + prose + "</body>");
  CHECK(p.article.title == "Bibliothek: Sonntags offen");
  CHECK(p.article.published.empty());

  // A date that is no date is left out rather than stored.
  p = parse("<meta property=\"article:published_time\" content=\"gestern\"><article>" + prose + "</article>");
  CHECK(p.article.published.empty());
}

TEST_CASE("html: a byline shown only as text names the author - nothing else like it does", "[html]") {
  const auto author_of = [](const std::string& byline, const std::string& head = "") {
    return parse("<html><head>" + head + "</head><body><article><h1>Windpark an der Nister</h1>" + byline +
                 "<p>Drei Windräder sollen auf der Anhöhe zwischen Nister und Atzelgift entstehen, teilte die "
                 "Verbandsgemeinde am Montag mit. Die Bürger können sich bis Ende des Monats äußern.</p>"
                 "</article></body></html>")
        .article.author;
  };
  CHECK(author_of("<div class=\"autor\">Von Karl-Heinz Brandt</div>") == "Karl-Heinz Brandt");
  CHECK(author_of("<p><em>Text: Monika Rauch, Pressestelle der Stadt</em></p>") == "Monika Rauch");
  CHECK(author_of("<p>Von Anna Berg und Jan Ott | 12.03.2024</p>") == "Anna Berg, Jan Ott");
  CHECK(author_of("<span>Autorin: Ursula von der Leyen</span>") == "Ursula von der Leyen");
  // Not bylines: a sentence, a route, a credit, one word, a name that a particle ends.
  CHECK(author_of("<p>Von Montag bis Freitag bleibt die Straße gesperrt.</p>").empty());
  CHECK(author_of("<p>Von Berlin nach Hamburg</p>").empty());
  CHECK(author_of("<p>Foto: Karl-Heinz Brandt</p>").empty());
  CHECK(author_of("<p>Von Reuters</p>").empty());
  CHECK(author_of("<p>Von Anna von</p>").empty());
  CHECK(author_of("<div>Von Karl Brandt <a href=\"#k\">Kommentare</a></div>").empty());
  CHECK(author_of("<p>Von Anna Berg<br>Redaktion</p>").empty());
  CHECK(author_of("<aside><p>Von Jan Ott</p><p>Ein anderer Artikel</p></aside>").empty());
  // Marked-up authors come first.
  CHECK(author_of("<p>Von Karl-Heinz Brandt</p>", "<meta name=\"author\" content=\"Eva Muster\">") == "Eva Muster");
}

TEST_CASE("html: a page in another language is indexed with a warning", "[html]") {
  const HtmlParse p = parse(
      "<html lang=\"en-GB\"><body><article><p>The council voted on Tuesday to keep the library "
      "open on Sundays for a trial period of one year, starting in June.</p></article></body></html>");
  CHECK(p.language == "en-GB");
  REQUIRE(p.warnings.size() == 1);
  CHECK(contains(p.warnings[0], "not German"));
  CHECK(p.article.paragraphs.size() == 1);
}

TEST_CASE("html: broken markup is repaired as a browser would, never a crash", "[html]") {
  const std::string prose = "Der Ausschuss tagte bis in die Nacht und einigte sich am Ende auf einen Kompromiss, ";
  HtmlParse p = parse("<body><article><p>" + prose + "der alle zufriedenstellt.<p>" + prose +
                      "den niemand mag.<div><b>" + prose + "der noch offen ist.</article></i></span></table>\xFF\xFE<");
  REQUIRE(p.article.paragraphs.size() == 3);
  CHECK(p.article.paragraphs[1].ends_with("den niemand mag."));
  CHECK(p.article.paragraphs[2].ends_with("der noch offen ist."));

  // Nested 200,000 levels deep: read and freed without recursion, and in a moment: past 512 levels (the depth
  // browsers allow) the elements go and their content stays (gumbo alone took 200 s for this page, its time growing
  // with the square of the depth).
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "<div>";
  deep += "<p>" + prose + "tief unten.</p>";
  p = parse(deep);
  REQUIRE(p.article.paragraphs.size() == 1);
  CHECK(p.article.paragraphs[0].ends_with("tief unten."));
  // The end tags of the elements left out go with them: what follows the deep part stays outside it. Tags in
  // a script's text and in comments are no elements.
  std::string closed = "<body><script>var s = '";
  for (int i = 0; i < 600; ++i) closed += "<div>";
  closed += "';</script><!-- <div><div> -->";
  for (int i = 0; i < 2000; ++i) closed += "<section class=\"x\">";
  closed += "<p>" + prose + "tief unten.</p>";
  for (int i = 0; i < 2000; ++i) closed += "</section>";
  closed += "<h2>Danach</h2><p>" + prose + "wieder oben.</p></body>";
  p = parse(closed);
  REQUIRE(p.article.paragraphs.size() >= 2);
  CHECK(p.article.paragraphs.front().ends_with("tief unten."));
  CHECK(p.article.paragraphs.back().ends_with("wieder oben."));
  for (const auto& paragraph : p.article.paragraphs) CHECK(paragraph.find("var s") == std::string::npos);

  // Nothing but markup, or nothing at all: an article without text (the indexer skips it).
  for (const std::string& empty :
       {std::string(), std::string("<html><body><nav><a>Start</a></nav></body></html>"), std::string("\0\0\0", 3)}) {
    p = parse(empty);
    CHECK(p.article.paragraphs.empty());
    CHECK(p.article.comments.empty());
  }
}

TEST_CASE("html: file names", "[html]") {
  CHECK(base::is_html_name("a.html"));
  CHECK(base::is_html_name("B.HTM"));
  CHECK(base::is_html_name("c.xhtml"));
  CHECK_FALSE(base::is_html_name("d.txt"));
  CHECK_FALSE(base::is_html_name("html"));
}

}  // namespace fundstelle::indexer
