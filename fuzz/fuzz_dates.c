/* fuzz_dates.c — date finding and normalisation: a first line of the form
 * YYYY-MM-DD (any bytes in the digit places) is the publication date, the
 * rest the text.  Runs ds_find_time over the text and ds_resolve_time on the
 * whole text and on the span found, with and without the publication date.
 * Checks the span is in range and the value has the shape its precision
 * says (YYYY-MM-DD / XXXX-MM-DD, YYYY-MM, YYYY, empty). */
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_target_dates(data, size);
}
