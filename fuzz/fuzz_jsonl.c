/* fuzz_jsonl.c — a JSONL container file through ingest (line splitting,
 * cJSON, field mapping, extra fields) and then the pipeline. */
#include "fuzz.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_ingest_file(data, size, ".jsonl");
    return 0;
}
