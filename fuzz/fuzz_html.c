/* fuzz_html.c — HTML input through the whole pipeline: depth guard, gumbo,
 * main-text extraction, metadata, cleaning, sentences, records writer. */
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_target_html(data, size);
}
