/* fuzz_places.c — place resolution: the input's first line is the context
 * document (its text and title), the rest the place text.  Runs the resolver
 * with and without that context, the sentence place finder over the whole
 * input, the explainer, and the folding/skeleton keys.  Checks spans stay in
 * range, precisions are valid and coordinates finite where resolved. */
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_target_places(data, size);
}
