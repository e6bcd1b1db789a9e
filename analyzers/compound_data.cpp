// Embeds the compound dictionary made at build time (see tools/make_compound_dict.cpp) into the program, so
// that splitting needs no data files at run time and costs nothing to load: the table is searched in place.
#ifndef FUNDSTELLE_COMPOUND_DICT
#error "FUNDSTELLE_COMPOUND_DICT must name the generated dictionary"
#endif

__asm__(".section .rodata\n"
        ".global fundstelle_compound_dict_begin\n"
        ".type fundstelle_compound_dict_begin, @object\n"
        "fundstelle_compound_dict_begin:\n"
        ".incbin \"" FUNDSTELLE_COMPOUND_DICT "\"\n"
        ".global fundstelle_compound_dict_end\n"
        ".type fundstelle_compound_dict_end, @object\n"
        "fundstelle_compound_dict_end:\n"
        ".byte 0\n"
        ".previous\n");
