/* fuzz_html.c — HTML input through the whole pipeline: depth guard, gumbo,
 * main-text extraction, metadata, cleaning, sentences, records writer. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    dossier_input in = {0};
    in.path = "fuzz.html";
    in.bytes = data;
    in.len = size;
    in.format = DOSSIER_FORMAT_HTML;
    fuzz_extract(&in);
    return 0;
}
