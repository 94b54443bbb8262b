/*
 * placewords.c — the closed word classes of place phrases ("the", "town",
 * "oblast", "airport", "occupied" …) and one O(1) lookup for all of them,
 * ds_place_word, used on folded keys by placekey.c (generic region words)
 * and places.c (cue words).
 *
 * The classes are small, fixed parts of the grammar of place phrases, so
 * they live here rather than in data/.  A lookup is the hot path of every
 * place resolution (several per name), hence one hash table of all classes
 * with a bit per class instead of a string scan per list: a word of up to
 * 16 bytes is packed into two 64-bit integers, hashed by multiplication and
 * compared as integers.  The table is built once (pthread_once).
 */
#include "internal.h"

#include <pthread.h>
#include <string.h>

/* Leading words of a location phrase that are not part of the name. */
static const char *const lead_words[] = {
    "the", "of", "in", "near", "outside", "at", "around", "on", "from", "into", "to", "across",
    "towards", "toward", "inside", "within", "over", "by", "nearby", "close", "occupied",
    "liberated", "frontline", "front", "line", "besieged", "embattled", "southern", "northern",
    "eastern", "western", "central", "south", "north", "east", "west", "part", "parts",
    "outskirts", "centre", "center", "suburbs", "suburb", "area", "areas", "vicinity", "a",
    "an", "small", "large", "key", "strategic", "same", "former", "capital", NULL};
/* Cue words that say the name is a settlement. */
static const char *const town_cues[] = {
    "city", "town", "village", "settlement", "hamlet", "port", "urban", "township",
    "cities", "towns", "villages", "selo", "smt", NULL};
/* Trailing words naming a facility or area of a place: "the Zaporizhzhia
 * nuclear plant", "Kherson airport", "Bakhmut direction" → the place. */
static const char *const facility_words[] = {
    "plant", "nuclear", "power", "station", "npp", "airport", "airfield", "air", "base",
    "port", "seaport", "bridge", "dam", "front", "direction", "axis", "sector", "outskirts",
    "suburbs", "hospital", "school", "railway", "train", "metro", "square", "checkpoint",
    "border", "crossing", "area", "district", "centre", "steel", "works", "factory", "refinery",
    "center", "downtown", "frontline", "offensive", "battle", "pocket", "salient", "garrison",
    "prison", "colony", "camp", "mall", "market", "theatre", "theater", "building", NULL};
/* A trailing word that says a region is meant ("Sumy region"). */
static const char *const region_words[] = {
    "region", "oblast", "province", "krai", "kray", "republic", "governorate", "state",
    "district", "county", "regions", "oblasti", NULL};
/* Words after which the name follows: "Russian-occupied Melitopol",
 * "Moscow-held Donetsk" (the side that holds it is no qualifier). */
static const char *const held_words[] = {"occupied", "held", "controlled", "annexed", "backed",
                                         "run", "seized", "captured", "liberated", NULL};
/* Generic words of region names, removed from a folded key so that "Sumy",
 * "Sumy Oblast", "Sumy region" and "Sumy province" share one key … */
static const char *const admin_words[] = {
    "oblast", "oblasti", "region", "regions", "province", "krai", "kray", "republic", "of",
    "the", "city", "governorate", "state", "autonomous", "okrug", "district", "county",
    "prefecture", "municipality", "area", "territory", "oblasts", "misto", NULL};
/* … of which these are dropped without saying that a region is meant. */
static const char *const admin_weak[] = {"of", "the", "city", "area", "district",
                                         "territory", "municipality", "misto", NULL};

#define SLOTS 512   /* a power of two, well over twice the words */

typedef struct slot {
    uint64_t a, b;   /* the word, zero-padded to 16 bytes; a == 0: empty */
    unsigned flags;
} slot;

static slot table[SLOTS];
/* first[n] has bit c - 'a' set when a word of n bytes starts with c: most
 * words of a name are no cue word, and this says so without hashing */
static uint32_t first[17];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int built;   /* set (release) once the table is complete */

/* Up to 8 bytes as one integer, by at most two loads (no call, no read
 * past w + n): the overlapping part of the two loads holds the same bytes. */
static inline uint64_t load(const unsigned char *w, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, w, 4);
        memcpy(&hi, w + n - 4, 4);
        return (uint64_t)lo | ((uint64_t)hi << (8 * (n - 4)));
    }
    if (!n) return 0;
    return (uint64_t)w[0] | ((uint64_t)w[n / 2] << (8 * (n / 2))) |
           ((uint64_t)w[n - 1] << (8 * (n - 1)));
#else
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) x |= (uint64_t)w[i] << (8 * i);
    return x;
#endif
}

static inline void pack(const char *w, size_t n, uint64_t *a, uint64_t *b)
{
    const unsigned char *u = (const unsigned char *)w;
    *a = load(u, n < 8 ? n : 8);
    *b = n > 8 ? load(u + 8, n - 8) : 0;
}

static inline size_t slot_of(uint64_t a, uint64_t b)
{
    uint64_t h = (a ^ (b * 0x9E3779B97F4A7C15ull)) * 0xD6E8FEB86659FD93ull;
    return (size_t)(h >> 55) & (SLOTS - 1);
}

static void add(const char *const *list, unsigned flag)
{
    for (int i = 0; list[i]; i++) {
        uint64_t a, b;
        pack(list[i], strlen(list[i]), &a, &b);
        size_t at = slot_of(a, b);
        while (table[at].a && (table[at].a != a || table[at].b != b)) at = (at + 1) & (SLOTS - 1);
        table[at].a = a;
        table[at].b = b;
        table[at].flags |= flag;
        size_t n = strlen(list[i]);
        if (n <= 16 && list[i][0] >= 'a' && list[i][0] <= 'z') first[n] |= 1u << (list[i][0] - 'a');
        else first[n <= 16 ? n : 0] = UINT32_MAX;   /* (none such: no shortcut then) */
    }
}

static void build(void)
{
    add(lead_words, DS_PW_LEAD);
    add(town_cues, DS_PW_TOWN_CUE);
    add(facility_words, DS_PW_FACILITY);
    add(region_words, DS_PW_REGION);
    add(held_words, DS_PW_HELD);
    add(admin_words, DS_PW_ADMIN);
    add(admin_weak, DS_PW_ADMIN_WEAK);
    __atomic_store_n(&built, 1, __ATOMIC_RELEASE);
}

unsigned ds_place_word(const char *w, size_t n)
{
    if (n == 0 || n > 16) return 0;   /* no class has a longer word */
    if (!__atomic_load_n(&built, __ATOMIC_ACQUIRE)) pthread_once(&once, build);
    unsigned c = (unsigned char)w[0] - 'a';
    if (c < 26 && !(first[n] >> c & 1)) return 0;
    uint64_t a, b;
    pack(w, n, &a, &b);
    for (size_t at = slot_of(a, b);; at = (at + 1) & (SLOTS - 1)) {
        if (!table[at].a) return 0;
        if (table[at].a == a && table[at].b == b) return table[at].flags;
    }
}
