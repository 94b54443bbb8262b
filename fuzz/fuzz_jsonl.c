/* fuzz_jsonl.c — a JSONL container file through ingest (line splitting,
 * cJSON, field mapping, extra fields) and then the pipeline. */
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_target_jsonl(data, size);
}
