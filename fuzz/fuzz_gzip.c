/* fuzz_gzip.c — a .gz file through ingest: zlib's reader on corrupt,
 * truncated and concatenated streams, content sniffing (text, HTML, JSONL)
 * of what comes out, and then the pipeline. */
#include "fuzz.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_ingest_file(data, size, ".gz");
    return 0;
}
