// Embeds the synonym table made at build time (see tools/make_thesaurus.cpp) into the program, so
// that splitting needs no data files at run time and costs nothing to load: the table is searched in place.
#ifndef FUNDSTELLE_THESAURUS
#error "FUNDSTELLE_THESAURUS must name the generated dictionary"
#endif

__asm__(".section .rodata\n"
        ".global fundstelle_thesaurus_begin\n"
        ".type fundstelle_thesaurus_begin, @object\n"
        "fundstelle_thesaurus_begin:\n"
        ".incbin \"" FUNDSTELLE_THESAURUS "\"\n"
        ".global fundstelle_thesaurus_end\n"
        ".type fundstelle_thesaurus_end, @object\n"
        "fundstelle_thesaurus_end:\n"
        ".byte 0\n"
        ".previous\n");
