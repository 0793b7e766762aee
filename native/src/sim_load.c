/* Load models of simulated processes. Pure functions of (model, seed, pid, caller time): no wall clock,
 * no hidden state, so two runs with the same inputs report the same usage. */
#include <math.h>
#include "internal.h"

static uint64_t splitmix64(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

/* Uniform in [-1, 1], constant within one simulated second so repeated reads agree. */
static double noise_unit(uint64_t seed, uint32_t pid, uint64_t now_ms) {
    uint64_t bits = splitmix64(seed ^ splitmix64(((uint64_t)pid << 32) ^ (now_ms / 1000u)));
    return (double)(bits >> 11) / (double)(1ull << 53) * 2.0 - 1.0;
}

static double level_at(const sim_process* process, double elapsed_seconds) {
    const tfaccel_load_model* load = &process->load;
    switch (load->kind) {
    case TFACCEL_LOAD_SINE:
        if (load->period_seconds <= 0) return load->base;
        return load->base + load->amplitude * sin(2.0 * M_PI * elapsed_seconds / load->period_seconds);
    case TFACCEL_LOAD_STEP:
        return elapsed_seconds < load->step_at_seconds ? load->base : load->step_level;
    case TFACCEL_LOAD_TRACE: {
        if (process->trace_count == 0) return load->base;
        /* The trace replays in a loop: sample i covers [i*interval, (i+1)*interval). */
        uint64_t slot = (uint64_t)(elapsed_seconds / process->trace_interval_seconds);
        return process->trace[slot % process->trace_count];
    }
    default:
        return load->base;
    }
}

/* Fraction (0..1) of the whole device the process uses now; cap (0..1, <=0 = none) models the limiter. */
double sim_process_fraction(const sim_state* sim, const sim_process* process, double cap) {
    double elapsed = sim->now_ms >= process->started_ms ? (double)(sim->now_ms - process->started_ms) / 1000.0 : 0.0;
    double level = level_at(process, elapsed) + process->load.noise * noise_unit(sim->seed, process->pid, sim->now_ms);
    if (level < 0) level = 0;
    if (level > 1) level = 1;
    if (process->gpu_instance_id != TFACCEL_NO_INSTANCE) {
        const sim_instance* instance = sim_find_instance(&sim->devices[process->device_index], process->gpu_instance_id);
        level *= instance == NULL ? 0.0 : (double)instance->compute_slices / MIG_COMPUTE_SLICES;
    }
    if (cap > 0 && level > cap) level = cap;
    return level;
}
