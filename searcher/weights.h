// Every ranking weight and constant of the searcher, in one place so that tuning them (bench/README.md) means
// reading and changing one file. Limits of the query grammar are not here: they are in query_syntax.h.
#pragma once

#include <cstddef>

namespace fundstelle::searcher::weights {

// Weights relative to the word as typed matching a passage's own word. Chosen on the development sets
// (shared/eval: seed queries and the LibreOffice known-item queries together), see bench/README.md.
inline constexpr double kTitleWeight = 0.1;           // the word in the article's title
inline constexpr double kSectionWeight = 0.3;         // the word in the heading of the passage's section
inline constexpr double kPartWeight = 0.2;            // the word as part of a compound, vs standing alone
inline constexpr double kExactFormWeight = 0.5;       // the very form typed (Dokumente, not Dokument), besides
                                                      // its stem
inline constexpr double kCompoundPartsWeight = 0.5;   // a compound's parts near each other, vs the compound
inline constexpr unsigned kCompoundWindow = 12;       // "near": within this many word positions
inline constexpr double kSynonymWeight = 0.5;         // a synonym, vs the word the user typed
inline constexpr std::size_t kMaxSynonyms = 8;        // per word
inline constexpr unsigned kMinJoinPostings = 1;       // two query words are joined into, or a compound respelled
                                                      // as, a compound the index holds in this many passages
inline constexpr std::size_t kMaxWildcardTerms = 64;  // a wildcard stands for its most frequent terms

// At most this many index terms are looked at for one wildcard (bounded work even for a*).
inline constexpr std::size_t kMaxWildcardScan = 100000;

// Search as you type (searcher/suggest.cpp): at most this many index terms looked at per prefix (words, and
// compound parts), and for the kSuggestParts most frequent parts, the words of kSuggestPassagesPerPart of
// their passages (bounded work for each keystroke).
inline constexpr std::size_t kMaxSuggestScan = 20000;
inline constexpr std::size_t kSuggestParts = 4;
inline constexpr std::size_t kSuggestPassagesPerPart = 25;

// The rerank: a passage's BM25 score grows by up to this fraction of itself when its concepts stand close
// together (proximity 1: side by side).
inline constexpr double kProximityFactor = 0.5;
// A passage that writes the query's words as they were typed (Zinssatz Perioden, not "periodischen Zinssatz")
// scores up to this fraction more: stems find the inflected forms, the typed forms rank first. Each concept
// present as typed adds its share (1 / concepts), scaled by how much its typed form says beyond the stem
// (Concept::typed_weight). A factor of 0.5 to 2 with that scale gave the same plain queries, 1 the best
// compound and inflected ones; bench/README.md.
inline constexpr double kTypedBonus = 1.0;

// Candidates for the rerank, first tier: the best this many passages by BM25, and as many of those that
// cover every concept of the query. Further tiers, while the page is short and more passages match, reach
// this factor deeper into the BM25 ranks each (searcher.cpp, Impl::run).
inline constexpr std::size_t kFirstCandidates = 100;
inline constexpr std::size_t kCandidateGrowth = 4;

// Typo tolerance by word length (code points), as Meilisearch does by default: a word shorter than
// kOneTypoFrom is never corrected (short words and names are not typos: Merz is no März), one edit from
// kOneTypoFrom letters, two from kTwoTyposFrom.
inline constexpr std::size_t kOneTypoFrom = 5;
inline constexpr std::size_t kTwoTyposFrom = 9;
// A capitalised word the index does not hold (perhaps a name) is corrected without asking only into a word
// the index writes capitalised in at least this share of its passages (at least one); a rarer correction is
// only suggested. Measured with bench/spelling_names.py on the 19 MB collection (123,021 passages; with the
// word-list and stopword rules of SpellingCorrector::suggest), names of 104 it does not hold corrected into
// another word / typos of 233 restored without asking (one edit of its capitalised words, drawn by
// frequency; the others left as typed, most with the word suggested): one in 20,000 (7 passages) 4 / 182
// (Esken -> Essen, Wegner -> Werner, Lemke -> Lembke, Varta -> Varia: 8 to 20 passages each), one in
// 10,000 2 / 175, one in 5,000 (25 passages) 0 / 159, one in 2,000 0 / 144, one in 1,000 0 / 120. A name
// read as another word misleads the reader; a typo left with "did you mean" costs a click.
inline constexpr double kNameCorrectionShare = 2e-4;
// And a capitalised word becomes, corrected or suggested, only a word the index writes capitalised inside a
// sentence in at least this share of the passages that hold its form at all: a noun or a name, not a verb, an
// adjective or a pronoun that some passages capitalise (a menu label "Löschen", a heading run into its text).
// A noun's share is below 1 where sentences begin with it (those capitals count for nothing): on the 19 MB
// collection, words Debian's word list gives capitalised only (1,940 held in 20 passages or more) have a
// median of 0.97, a tenth below 0.5; words it gives in lower case only (1,874) a median of 0.09. Measured with
// bench/spelling_names.py there: typos restored 179 -> 167 of 227 (threshold 0.8: 158; 0.9: 141), and the
// twelve no longer restored are typos of anderen, mehrere, dieses, führt, setzen, löschen, darüber and the
// like (0.0-0.45), which a capitalised word must not become; no name of 102 corrected either way. Not caught:
// a verb the index capitalises in most passages (melden 0.81 in the LibreOffice help: "Fehler melden").
inline constexpr double kCapitalisedShare = 0.5;
// Spelling correction is bounded, so that no query can make a search spend seconds on it (fifty made-up
// words of 190 letters took 33 s): at most this many unknown words are corrected, none longer than this
// many code points (room for long compounds: Donaudampfschifffahrtsgesellschaft has 34), and none after
// kMaxCorrectionSeconds or the search's time limit (the others are reported unknown).
inline constexpr std::size_t kMaxCorrectedWords = 8;
inline constexpr std::size_t kMaxCorrectedLength = 48;
inline constexpr double kMaxCorrectionSeconds = 1.0;

// How often a search or an article read is tried again, when the index changes under it or a remote shard
// goes away, before giving up.
inline constexpr int kMaxRetries = 16;

}  // namespace fundstelle::searcher::weights
