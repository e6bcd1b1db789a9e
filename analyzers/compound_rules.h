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
// Nouns whose plural is no ending added to the singular, mostly of Latin and Greek origin (Zentrum/Zentren,
// Firma/Firmen, Thema/Themen, Virus/Viren, Konto/Konten, Stadion/Stadien, Praktikum/Praktika, Lexikon/Lexika,
// Schema/Schemata, Matrix/Matrizen, Index/Indizes, Material/Materialien, Prinzip/Prinzipien): the singular
// ending and the plural ending that takes its place. The stemmer gives the two numbers different stems; a
// query word (or a query compound's head) also matches the other number where the word lists hold both as
// nouns (GermanAnalyzer::number_variants).
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kIrregularHeads = {{{"um", "en"},
                                                                                                   {"a", "en"},
                                                                                                   {"us", "en"},
                                                                                                   {"o", "en"},
                                                                                                   {"on", "en"},
                                                                                                   {"um", "a"},
                                                                                                   {"on", "a"},
                                                                                                   {"a", "ata"},
                                                                                                   {"ix", "izen"},
                                                                                                   {"ex", "izes"},
                                                                                                   {"al", "alien"},
                                                                                                   {"ip", "ipien"}}};
// Each letter of a linking element costs this much (in the log of the count) when splits are compared, so
// that gross|stadt beats gros|s|stadt and lebens|erwartung beats leben|er|wartung on near-equal counts.
inline constexpr double kLinkCost = 0.7;

}  // namespace fundstelle::analyzers::compound
