/* fuzz_places.c — place resolution: the input's first line is the context
 * document (its text and title), the rest the place text.  Runs the resolver
 * with and without that context, the sentence place finder over the whole
 * input, the explainer, and the folding/skeleton keys.  Checks spans stay in
 * range, precisions are valid and coordinates finite where resolved. */
#include "fuzz.h"

#include <math.h>

static void check(const ds_location *l)
{
    if ((int)l->precision < 0 || l->precision > DS_PREC_UNRESOLVED) abort();
    if (l->precision >= DS_PREC_TOWN && l->precision <= DS_PREC_COUNTRY &&
        (!isfinite(l->lat) || !isfinite(l->lon) || fabs(l->lat) > 90 || fabs(l->lon) > 180))
        abort();
    if (l->name) (void)strlen(l->name);
    if (l->admin1) (void)strlen(l->admin1);
    if (strlen(l->country) > 3) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const dossier_ctx *ctx = fuzz_ctx();
    ds_arena *a = ds_arena_new();
    if (!a) return 0;
    bool repaired;
    size_t n;
    char *s = ds_utf8_repair(a, data, size, &n, &repaired);
    if (!s) goto out;
    char *nl = memchr(s, '\n', n);
    const char *place = nl ? nl + 1 : s;
    dossier_doc doc = {0};
    doc.arena = a;
    doc.text = s;
    doc.text_len = nl ? (size_t)(nl - s) : 0;
    doc.title = nl ? ds_arena_strndup(a, s, doc.text_len) : NULL;

    ds_location l = {0};
    l.text = place;
    ds_resolve_location(ctx, &doc, &l);
    check(&l);
    memset(&l, 0, sizeof l);
    l.text = place;
    ds_resolve_location(ctx, NULL, &l);
    check(&l);

    size_t pl = strlen(place), st, en;
    if (ds_find_place(ctx, s, n, &st, &en) && (st > en || en > n)) abort();
    (void)ds_is_place(ctx, place, pl);
    int k = ds_place_kind(ctx, place, pl);
    if (k < 0 || k > 3) abort();

    ds_location cand[8];
    double scores[8];
    size_t nc = ds_place_explain(ctx, place, cand, scores, 8);
    if (nc > 8) abort();
    for (size_t i = 0; i < nc; i++) check(&cand[i]);

    char key[256], skel[256];
    size_t kl = ds_place_fold(place, pl, key, sizeof key);
    if (kl >= sizeof key) abort();
    if (kl) {
        size_t sl = ds_place_skeleton(key, kl, skel, sizeof skel);
        if (sl >= sizeof skel) abort();
        bool had;
        if (ds_place_strip_admin(key, kl, &had) > kl) abort();
        (void)ds_place_hash(key, kl);
    }
out:
    ds_arena_free(a);
    return 0;
}
