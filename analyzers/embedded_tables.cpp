// Embeds the tables made at build time from Debian's German data (see tools/ and CMakeLists.txt) into the
// program, so that the analyzer needs no data files at run time and pays nothing to load them: the tables
// are searched in place (SortedTable).
#if !defined(FUNDSTELLE_COMPOUND_DICT) || !defined(FUNDSTELLE_THESAURUS)
#error "FUNDSTELLE_COMPOUND_DICT and FUNDSTELLE_THESAURUS must name the generated tables"
#endif

#define FUNDSTELLE_EMBED(name, file)                 \
  ".section .rodata\n"                               \
  ".global " name "_begin\n"                         \
  ".hidden " name "_begin\n"                         \
  ".type " name "_begin, @object\n" name "_begin:\n" \
  ".incbin \"" file "\"\n"                           \
  ".global " name "_end\n"                           \
  ".hidden " name "_end\n"                           \
  ".type " name "_end, @object\n" name "_end:\n"     \
  ".byte 0\n"                                        \
  ".previous\n"

__asm__(FUNDSTELLE_EMBED("fundstelle_compound_dict", FUNDSTELLE_COMPOUND_DICT));
__asm__(FUNDSTELLE_EMBED("fundstelle_thesaurus", FUNDSTELLE_THESAURUS));
