/* The simulator's device catalog. MIG geometry (7 compute slices, 8 memory slices, placement starts on the
 * memory-slice axis) follows NVIDIA's MIG user guide; per-profile memory and SM counts are the published
 * profile tables, except H200's memory sizes and total, which are what NVML reported on an H200 (driver 580.159;
 * see docs/agent-protocol.md "Hardware check"): the SM counts matched the tables. */
#include <string.h>
#include "internal.h"

#define MIB(x) ((uint64_t)(x) * 1024u * 1024u)
#define GIB(x) ((uint64_t)(x) * 1024u * 1024u * 1024u)

/* name, id, compute slices, memory slices, max count, memory, SMs, placement count, starts */
#define P1G(n, mem, sm) { n, 19, 1, 1, 7, MIB(mem), sm, 7, { 0, 1, 2, 3, 4, 5, 6, 0 } }
#define P1GME(n, mem, sm) { n, 20, 1, 1, 1, MIB(mem), sm, 7, { 0, 1, 2, 3, 4, 5, 6, 0 } }
#define P1G2X(n, mem, sm) { n, 15, 1, 2, 4, MIB(mem), sm, 4, { 0, 2, 4, 6, 0, 0, 0, 0 } }
#define P2G(n, mem, sm) { n, 14, 2, 2, 3, MIB(mem), sm, 3, { 0, 2, 4, 0, 0, 0, 0, 0 } }
#define P3G(n, mem, sm) { n, 9, 3, 4, 2, MIB(mem), sm, 2, { 0, 4, 0, 0, 0, 0, 0, 0 } }
#define P4G(n, mem, sm) { n, 5, 4, 4, 1, MIB(mem), sm, 1, { 0 } }
#define P7G(n, mem, sm) { n, 0, 7, 8, 1, MIB(mem), sm, 1, { 0 } }

static const sim_model Catalog[] = {
    { "A100-40GB", GIB(40), 108, 312.0, 50000, 400000, 7,
      { P1G("1g.5gb", 4864, 14), P1GME("1g.5gb+me", 4864, 14), P1G2X("1g.10gb", 9856, 14),
        P2G("2g.10gb", 9856, 28), P3G("3g.20gb", 19968, 42), P4G("4g.20gb", 19968, 56),
        P7G("7g.40gb", 40192, 98) } },
    { "A100-80GB", GIB(80), 108, 312.0, 60000, 400000, 7,
      { P1G("1g.10gb", 9856, 14), P1GME("1g.10gb+me", 9856, 14), P1G2X("1g.20gb", 19968, 14),
        P2G("2g.20gb", 19968, 28), P3G("3g.40gb", 40192, 42), P4G("4g.40gb", 40192, 56),
        P7G("7g.80gb", 80384, 98) } },
    { "H100-80GB", GIB(80), 132, 989.0, 70000, 700000, 7,
      { P1G("1g.10gb", 9984, 16), P1GME("1g.10gb+me", 9984, 16), P1G2X("1g.20gb", 20096, 26),
        P2G("2g.20gb", 20096, 32), P3G("3g.40gb", 40448, 60), P4G("4g.40gb", 40448, 64),
        P7G("7g.80gb", 81152, 132) } },
    { "H200-141GB", MIB(143771), 132, 989.0, 75000, 700000, 7,
      { P1G("1g.18gb", 16384, 16), P1GME("1g.18gb+me", 16384, 16), P1G2X("1g.35gb", 33280, 26),
        P2G("2g.35gb", 33280, 32), P3G("3g.71gb", 71424, 60), P4G("4g.71gb", 71424, 64),
        P7G("7g.141gb", 143360, 132) } },
    { "L4", GIB(24), 58, 121.0, 16000, 72000, 0, { { "", 0, 0, 0, 0, 0, 0, 0, { 0 } } } },
};

const sim_model* sim_find_model(const char* name) {
    if (name == NULL) return NULL;
    for (size_t i = 0; i < sizeof(Catalog) / sizeof(Catalog[0]); i++) {
        if (strcmp(Catalog[i].name, name) == 0) return &Catalog[i];
    }
    return NULL;
}
