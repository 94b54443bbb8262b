/* fuzz_gzip.c — a .gz file through ingest: zlib's reader on corrupt,
 * truncated and concatenated streams, content sniffing (text, HTML, JSONL)
 * of what comes out, and then the pipeline. */
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_target_gzip(data, size);
}
