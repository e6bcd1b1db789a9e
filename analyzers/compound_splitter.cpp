#include "analyzers/compound_splitter.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "analyzers/compound_rules.h"
#include "analyzers/normalize.h"
#include "analyzers/stopwords.h"
#include "base/hash.h"
#include "base/utf8.h"

// The dictionary made at build time, embedded by compound_data.cpp.
extern "C" const char fundstelle_compound_dict_begin[];
extern "C" const char fundstelle_compound_dict_end[];

namespace fundstelle::analyzers {
namespace {

constexpr std::size_t kMaxParts = 4;
constexpr std::size_t kMaxWord = 64;  // bytes; longer tokens are no words to split

// Derivational endings that are nouns of their own as well; as the last part they make false splits
// (Land|schaft, Gesell|schaft).
constexpr std::string_view kSuffixHeads[] = {"schaft", "schaften"};

}  // namespace

const CompoundSplitter& CompoundSplitter::german() {
  static const CompoundSplitter splitter(
      std::string_view(fundstelle_compound_dict_begin,
                       static_cast<std::size_t>(fundstelle_compound_dict_end - fundstelle_compound_dict_begin)),
      std::string());
  return splitter;
}

CompoundSplitter::CompoundSplitter(std::string dictionary)
    : CompoundSplitter(std::string_view(), std::move(dictionary)) {}

CompoundSplitter::CompoundSplitter(std::string_view data, std::string owned)
    : owned_(std::move(owned)), table_(owned_.empty() ? data : std::string_view(owned_)) {
  for (const auto& w : german_stopword_list()) particles_.insert(nfkc_casefold(w));
  // (Hashed up to the table's first NUL byte, as ever: the fingerprint of indexes already built must not change.)
  fingerprint_ = "compounds=" + base::hex64(base::fnv1a(table_.data())) + "/" + std::to_string(table_.size());
}

// A line's value: KIND \t COUNT \t STEM.
CompoundSplitter::Entry CompoundSplitter::lookup(std::string_view form) const {
  const auto rest = table_.find(form);
  if (!rest || rest->empty()) return {};
  Entry e;
  e.kind = (*rest)[0];
  std::uint32_t count = 1;
  const char* end = rest->data() + rest->size();
  const auto parsed = rest->size() > 2 ? std::from_chars(rest->data() + 2, end, count)
                                       : std::from_chars_result{end, {}};
  e.count = count;
  e.stem = parsed.ptr + 1 < end && parsed.ptr[0] == '\t' && parsed.ptr[1] == '1';
  return e;
}

CompoundSplitter::Entry CompoundSplitter::noun(std::string_view form) const {
  Entry e = lookup(form);
  if (e.kind == 'n') return e;
  for (const std::string_view ending : compound::kNounEndings) {
    if (form.size() < ending.size() + compound::kMinPart || !form.ends_with(ending)) continue;
    const Entry base = lookup(form.substr(0, form.size() - ending.size()));
    if (base.kind == 'n') return base;
  }
  return {};
}

bool CompoundSplitter::lexical_unit(std::string_view form) const {
  if (lookup(form).stem) return true;
  for (const std::string_view ending : compound::kNounEndings)
    if (form.size() >= ending.size() + compound::kMinPart && form.ends_with(ending) &&
        lookup(form.substr(0, form.size() - ending.size())).stem)
      return true;
  return false;
}

std::string CompoundSplitter::rules() {
  std::string r = "min=" + std::to_string(compound::kMinPart) + " links=";
  for (const auto l : compound::kLinks) r += std::string(l) + ",";
  r += " endings=";
  for (const auto e : compound::kNounEndings) r += std::string(e) + ",";
  r += " linkcost=" + std::to_string(compound::kLinkCost) + " bias=" + std::to_string(kWholeBias) +
       " parts=" + std::to_string(kMaxParts) + " word=" + std::to_string(kMaxWord) + " heads=";
  for (const auto h : kSuffixHeads) r += std::string(h) + ",";
  return r + " inner";
}

std::vector<std::string> CompoundSplitter::split(std::string_view form, std::vector<std::string>* inner) const {
  std::vector<std::pair<std::size_t, std::size_t>> leaves;  // [begin, end) of each part in `form`
  split_ranges(form, 0, leaves);
  std::vector<std::string> parts;
  for (const auto& [b, e] : leaves) parts.emplace_back(form.substr(b, e - b));
  if (inner && leaves.size() > 2)
    // Every run of two or more neighbouring parts, as spelled in the word (with its linking elements):
    // klimaschutz and schutzgesetz in Klimaschutzgesetz, so that the shorter compounds find the longer one.
    for (std::size_t i = 0; i < leaves.size(); ++i)
      for (std::size_t j = i + 1; j < leaves.size(); ++j)
        if (i > 0 || j + 1 < leaves.size())
          inner->emplace_back(form.substr(leaves[i].first, leaves[j].second - leaves[i].first));
  return parts;
}

void CompoundSplitter::split_ranges(std::string_view form, std::size_t base,
                                    std::vector<std::pair<std::size_t, std::size_t>>& out) const {
  const std::size_t n = form.size();
  if (n < 2 * compound::kMinPart || n > kMaxWord || lexical_unit(form)) return;

  // best[k][i]: the best sum of log counts of k parts covering form[0, i) with each part followed by its
  // linking element (so a next part starts at i); from[k][i] remembers where the k-th part began and ended.
  struct Cell {
    bool reached = false;
    double score = 0;
    std::size_t part_begin = 0, part_end = 0, prev = 0;
  };
  Cell best[kMaxParts + 1][kMaxWord + 1];
  best[0][0].reached = true;
  for (std::size_t k = 1; k <= kMaxParts; ++k) {
    for (std::size_t start = 0; start + compound::kMinPart <= n; ++start) {
      if (!best[k - 1][start].reached || !base::is_boundary(form, start)) continue;
      for (std::size_t end = start + compound::kMinPart; end <= n; ++end) {
        if (!base::is_boundary(form, end)) continue;
        const std::string_view part = form.substr(start, end - start);
        const Entry e = end == n ? noun(part) : lookup(part);
        if (!e.kind) continue;
        const double score = best[k - 1][start].score + std::log(static_cast<double>(e.count));
        if (end == n) {
          // The head: a noun that is not a derivational ending; and there must be a modifier before it.
          if (k < 2 || std::find(std::begin(kSuffixHeads), std::end(kSuffixHeads), part) != std::end(kSuffixHeads))
            continue;
          if (!best[k][n].reached || best[k][n].score < score) best[k][n] = Cell{true, score, start, end, start};
          continue;
        }
        if (particles_.count(std::string(part))) continue;  // prepositions modify nothing (Unter|nehmen)
        for (const std::string_view link : compound::kLinks) {
          const std::size_t next = end + link.size();
          if (next + compound::kMinPart > n || form.substr(end, link.size()) != link) continue;
          const double linked = score - compound::kLinkCost * static_cast<double>(link.size());
          if (!best[k][next].reached || best[k][next].score < linked)
            best[k][next] = Cell{true, linked, start, end, start};
        }
      }
    }
  }
  // The fewest parts win (Fahrzeug|software, not Fahr|zeug|software); among those the most productive.
  std::size_t k = 2;
  while (k <= kMaxParts && !best[k][n].reached) ++k;
  if (k > kMaxParts) return;
  const double mean = best[k][n].score / static_cast<double>(k);
  // A listed word stays whole unless its parts are clearly more productive than the word itself.
  const Entry whole = lookup(form);
  if (whole.kind && mean <= std::log(kWholeBias * static_cast<double>(whole.count))) return;

  // Walk back the split, and split its parts again where they are compounds themselves (Klimaschutz|gesetz
  // -> Klima|schutz|gesetz), by the same rule.
  std::vector<std::pair<std::size_t, std::size_t>> parts(k);
  std::size_t at = n;
  for (std::size_t i = k; i >= 1; --i) {
    const Cell& c = best[i][at];
    parts[i - 1] = {c.part_begin, c.part_end};
    at = c.prev;
  }
  for (const auto& [b, e] : parts) {
    const std::size_t before = out.size();
    split_ranges(form.substr(b, e - b), base + b, out);
    if (out.size() == before) out.emplace_back(base + b, base + e);
  }
}

}  // namespace fundstelle::analyzers
