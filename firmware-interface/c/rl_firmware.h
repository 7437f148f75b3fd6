/*
 * Firmware-side rules that hold whatever the host does (docs/serial-protocol.md, "Firmware rules"):
 * - watchdog: no valid command within watchdog_timeout_us puts every actuator in its safe target;
 * - limits: a target outside [command_min, command_max] is clamped and reported;
 * - emergency stop: safe state, latched until the next handshake;
 * - every command that arrives intact is counted, whatever the rules make of it, so that the host can tell
 *   the commands it wrote from those the robot received (rl_firmware_fill_state puts the count in a state).
 * The caller owns the clock (microseconds) and applies rl_firmware.targets to its actuators.
 */
#ifndef RL_FIRMWARE_H
#define RL_FIRMWARE_H

#include "rl_protocol.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint16_t actuator_count;
    float command_min[RL_MAX_ACTUATORS];
    float command_max[RL_MAX_ACTUATORS];
    float safe_target[RL_MAX_ACTUATORS]; /* what each actuator holds in the safe state, e.g. zero effort */
    uint32_t watchdog_timeout_us;
} rl_firmware_config;

typedef struct {
    rl_firmware_config config;
    float targets[RL_MAX_ACTUATORS]; /* what the actuators apply now */
    uint32_t status_flags;           /* RL_STATUS_* as reported in state frames */
    uint64_t last_command_us;
    uint32_t commands_received;     /* intact command frames since power-up, wrapping at 2^32 */
    uint32_t last_command_sequence; /* header sequence of the newest of them */
} rl_firmware;

/* What a rule reports: RL_FAULT_NONE, or a fault code and its detail (actuator index or count). */
typedef struct {
    uint16_t code;
    uint16_t detail;
} rl_rule_report;

/* Starts in the safe state, not linked. Returns RL_ERR_ARGUMENT for a bad configuration. */
int rl_firmware_init(rl_firmware *firmware, const rl_firmware_config *config);

/* A handshake request arrived: linked, emergency stop and watchdog cleared, still safe until the first command. */
void rl_firmware_on_handshake(rl_firmware *firmware, uint64_t now_us);

/* A command arrived intact in the frame of header sequence `sequence`: it is counted, whatever follows. Valid
 * commands feed the watchdog; ACTIVE ones set the targets, clamped to the limits. */
rl_rule_report rl_firmware_on_command(rl_firmware *firmware, const rl_command *command, uint32_t sequence, uint64_t now_us);

/* Writes what the rules report in every state: status flags and the count of commands received. */
void rl_firmware_fill_state(const rl_firmware *firmware, rl_state *state);

/* Safe state now, latched until the next handshake. */
void rl_firmware_on_emergency_stop(rl_firmware *firmware);

/* Runs the watchdog; reports RL_FAULT_WATCHDOG_EXPIRED once, when it trips. Call at least once per control period. */
rl_rule_report rl_firmware_tick(rl_firmware *firmware, uint64_t now_us);

#ifdef __cplusplus
}
#endif

#endif
