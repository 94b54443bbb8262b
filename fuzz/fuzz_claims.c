/* fuzz_claims.c — claim extraction on its own: the bytes (made valid UTF-8)
 * become the cleaned text of a document, bypassing cleaning so that every
 * sentence reaches the claim rules, attribution, parties, places and times.
 * A first line of the form YYYY-MM-DD is taken as the publication date so
 * relative times get resolved.  Checks the claims' invariants: sentence index
 * in range, trigger span inside its sentence, enum values in range. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const dossier_ctx *ctx = fuzz_ctx();
    ds_arena *a = ds_arena_new();
    if (!a) return 0;
    dossier_doc doc = {0};
    doc.arena = a;
    snprintf(doc.id, sizeof doc.id, "sha256:fuzz");
    char pub[11];
    if (size >= 11 && data[4] == '-' && data[7] == '-' && data[10] == '\n') {
        memcpy(pub, data, 10);
        pub[10] = 0;
        doc.published = pub;
        data += 11, size -= 11;
    }
    bool repaired;
    doc.text = ds_utf8_repair(a, data, size, &doc.text_len, &repaired);
    if (doc.text &&
        ds_split_sentences(ctx->sent, doc.text, doc.text_len, &doc.sentences) == DOSSIER_OK &&
        ds_extract_claims(ctx, &doc) == DOSSIER_OK) {
        for (size_t i = 0; i < doc.claims.n; i++) {
            const ds_claim *c = &DS_CLAIM(&doc, i);
            if (c->sentence < 0 || (size_t)c->sentence >= doc.sentences.n) abort();
            const ds_sentence *s = &DS_SENT(&doc, c->sentence);
            if (c->trigger_start > c->trigger_end || c->trigger_start < s->start ||
                c->trigger_end > s->end)
                abort();
            if ((int)c->type < 0 || (int)c->type >= DS_EV__COUNT) abort();
            if ((int)c->modality < 0 || (int)c->modality >= DS_MOD__COUNT) abort();
        }
        ds_buf b = {0};
        if (ds_doc_write_json(&doc, &b) == DOSSIER_OK && (!b.n || b.p[b.n - 1] != '\n')) abort();
        ds_buf_free(&b);
    }
    ds_vec_free(&doc.sentences);
    ds_vec_free(&doc.claims);
    ds_vec_free(&doc.dropped_lines);
    ds_arena_free(a);
    return 0;
}
