/* fuzz_sentences.c — the sentence splitter alone on arbitrary bytes: every
 * sentence lies inside the text, in order, without overlap. */
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_target_sentences(data, size);
}
