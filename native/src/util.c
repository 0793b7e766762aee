/* Small string helpers shared by the backends. */
#include <string.h>
#include "internal.h"

void tf_copy_string(char* destination, size_t size, const char* source) {
    if (size == 0) return;
    size_t length = source == NULL ? 0 : strnlen(source, size - 1);
    if (length > 0) memcpy(destination, source, length);
    destination[length] = '\0';
}

/* Worker ids become file names, so only a safe alphabet is accepted (no '/', no "..", no leading dot). */
int tf_valid_worker_id(const char* worker_id) {
    if (worker_id == NULL || worker_id[0] == '\0' || worker_id[0] == '.') return 0;
    size_t length = 0;
    for (const char* c = worker_id; *c != '\0'; c++, length++) {
        int ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '.' ||
                 *c == '_' || *c == '-';
        if (!ok || length >= TFACCEL_WORKER_ID_LEN - 1) return 0;
    }
    return 1;
}
