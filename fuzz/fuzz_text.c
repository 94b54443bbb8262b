/* fuzz_text.c — plain-text input through the whole pipeline: UTF-8 repair,
 * blocks, cleaning rules, headline/byline/origin lines, duplicates, sentences,
 * records writer. */
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_target_text(data, size);
}
