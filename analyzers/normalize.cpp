#include "analyzers/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <stdexcept>

namespace fundstelle::analyzers {

std::string nfkc_casefold(std::string_view utf8) {
  static const icu::Normalizer2* nfkc_cf = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU NFKC_Casefold: ") + u_errorName(status));
    return n;
  }();
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString norm = nfkc_cf->normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size()))), status);
  std::string out;
  if (U_SUCCESS(status)) norm.toUTF8String(out);
  return out;
}

}  // namespace fundstelle::analyzers
