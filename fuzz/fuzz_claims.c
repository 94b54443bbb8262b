/* fuzz_claims.c — claim extraction on its own: the bytes (made valid UTF-8)
 * become the cleaned text of a document, bypassing cleaning so that every
 * sentence reaches the claim rules, attribution, parties, places and times.
 * A first line of the form YYYY-MM-DD is taken as the publication date so
 * relative times get resolved.  Checks the claims' invariants: sentence index
 * in range, trigger span inside its sentence, enum values in range. */
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_target_claims(data, size);
}
