/* fuzz_api.c — the HTTP API's request handling: the input is a request
 * target ("/api/incidents?type=attack&near=48.5,35,20"), split into path and
 * query arguments and percent-decoded the way libmicrohttpd hands them to
 * the server, then answered by ds_api_answer over a small database built at
 * start-up from the text seeds (fuzz/corpus/text, or $FUZZ_API_DOCS).  Every
 * answer must be a valid JSON object with a 2xx/4xx status. */
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_target_api(data, size);
}
