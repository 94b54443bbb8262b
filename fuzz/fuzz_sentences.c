/* fuzz_sentences.c — the sentence splitter alone on arbitrary bytes: every
 * sentence lies inside the text, in order, without overlap. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const dossier_ctx *ctx = fuzz_ctx();
    char *text = ds_malloc(size + 1);
    if (!text) return 0;
    if (size) memcpy(text, data, size);
    text[size] = 0;
    ds_vec out = {0};
    if (ds_split_sentences(ctx->sent, text, size, &out) == DOSSIER_OK) {
        size_t prev = 0;
        for (size_t i = 0; i < out.n; i++) {
            ds_sentence s = ((ds_sentence *)out.items)[i];
            if (s.start > s.end || s.end > size || s.start < prev) abort();
            prev = s.end;
        }
    }
    ds_vec_free(&out);
    ds_free(text);
    return 0;
}
