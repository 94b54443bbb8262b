/*
 * clean_int.h — private interface of the cleaning stage: clean.c (the pass),
 * clean_pre.c (cheap checks that spare its regex runs: a literal prefilter for
 * the unanchored line rules and for each credit rule, one UTF-8 check per
 * block) and clean_text.c (plain text into blocks).
 */
#ifndef DOSSIER_CLEAN_INT_H
#define DOSSIER_CLEAN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The literal words one of which every unanchored line rule starts with
 * (see "literal prefilter" below). */
#define LIT_MAX 128
typedef struct litset {
    bool ok;                      /* false: no prefilter (run the regex) */
    int n;
    char lit[LIT_MAX][48];        /* lower-case ASCII */
    uint8_t len[LIT_MAX];
    uint8_t head[65536];          /* by first two bytes: 1 + first literal, 0 none */
    uint8_t next[LIT_MAX];        /* 1 + next literal with the same two bytes, 0 none */
    uint8_t single[256];          /* one-byte literals */
    uint8_t pairbit[65536 / 8];   /* head[k] != 0, as bits (small enough to stay cached) */
} litset;

/* Add the literal beginnings of rule pattern p[0..n) to L; false when the
 * pattern has none usable (L must then not be used as a prefilter). */
bool ds_litset_add(litset *L, const char *p, size_t n);
/* May line s[0..n) match a rule of L?  (Always true when !L->ok.) */
bool ds_litset_may_match(const litset *L, const char *s, size_t n);
/* Is s[0..n) well-formed UTF-8 (as PCRE2 requires for PCRE2_NO_UTF_CHECK)? */
bool ds_utf8_valid(const char *s, size_t n);

/* clean_text.c: does the line end a sentence (. ! ? : before closing quotes)? */
bool ds_ends_sentence(const char *s, size_t n);

#endif
