/* fuzz_text.c — plain-text input through the whole pipeline: UTF-8 repair,
 * blocks, cleaning rules, headline/byline/origin lines, duplicates, sentences,
 * records writer. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dossier_input in = {0};
    in.path = "fuzz.txt";
    in.bytes = data;
    in.len = size;
    in.format = DOSSIER_FORMAT_TEXT;
    fuzz_extract(&in);
    return 0;
}
