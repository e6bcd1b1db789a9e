// The rules of German compounding that the CompoundSplitter and its build-time dictionary share.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <utility>

namespace fundstelle::analyzers::compound {

// Parts shorter than this (in bytes of the normalized form) are not split off: short words (Amt, Bau, Tor)
// match inside too many unrelated words.
inline constexpr std::size_t kMinPart = 4;
// Linking elements (Fugenelemente) that may stand between a modifier and what follows it; "" first.
inline constexpr std::array<std::string_view, 8> kLinks = {"", "s", "es", "n", "en", "er", "e", "ens"};
// A prefix that is no word of its own becomes a combining form (elektro-, bio-) when it begins this many
// listed compounds.
inline constexpr unsigned kMinCombiningUses = 12;
// Noun inflection endings: a head spelled with one (preise, zahlen) is a noun when its base form is, and a
// word whose base form is a hunspell stem stays whole. Longest first.
inline constexpr std::array<std::string_view, 9> kNounEndings = {"ern", "nen", "en", "er", "es", "ns", "e", "n", "s"};
// Heads whose plural is no ending added to the singular (Zentrum/Zentren, Firma/Firmen, Thema/Themen): the
// singular ending and the plural ending that takes its place. The stemmer gives the two forms different
// stems; a query compound also matches the index's compound with the other number of its head.
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 2> kIrregularHeads = {
    {{"um", "en"}, {"a", "en"}}};
// More such endings, mostly of Latin and Greek nouns (Virus/Viren, Matrix/Matrizen, Index/Indizes,
// Prinzip/Prinzipien, Schema/Schemata, Praktikum/Praktika), for a query word the index holds nowhere
// (GermanAnalyzer::number_variants, where the word lists hold both forms as nouns). Left out for their false
// pairs among listed nouns: -o/-en (Motto, Motten), -on/-en (Ballon, Ballen), -al/-alien (Regal, Regalien).
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kIrregularPlurals = {{{"um", "en"},
                                                                                                    {"a", "en"},
                                                                                                    {"us", "en"},
                                                                                                    {"ix", "izen"},
                                                                                                    {"ex", "izes"},
                                                                                                    {"ip", "ipien"},
                                                                                                    {"a", "ata"},
                                                                                                    {"um", "a"}}};
// Each letter of a linking element costs this much (in the log of the count) when splits are compared, so
// that gross|stadt beats gros|s|stadt and lebens|erwartung beats leben|er|wartung on near-equal counts.
inline constexpr double kLinkCost = 0.7;

}  // namespace fundstelle::analyzers::compound
