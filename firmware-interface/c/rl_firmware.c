#include <string.h>

#include "rl_firmware.h"

static rl_rule_report report(uint16_t code, uint16_t detail)
{
    rl_rule_report r;
    r.code = code;
    r.detail = detail;
    return r;
}

/* True for every float except NaN and the infinities, without <math.h>. */
static int is_finite(float x)
{
    float difference = x - x;
    return difference == 0.0f;
}

static void enter_safe_state(rl_firmware *firmware)
{
    memcpy(firmware->targets, firmware->config.safe_target, sizeof firmware->targets);
    firmware->status_flags &= ~RL_STATUS_ACTIVE;
    firmware->status_flags |= RL_STATUS_SAFE_STATE;
}

int rl_firmware_init(rl_firmware *firmware, const rl_firmware_config *config)
{
    uint16_t i;
    if (config->actuator_count > RL_MAX_ACTUATORS || config->watchdog_timeout_us == 0)
        return RL_ERR_ARGUMENT;
    for (i = 0; i < config->actuator_count; i++)
        if (!(config->command_min[i] <= config->command_max[i]))
            return RL_ERR_ARGUMENT;
    memset(firmware, 0, sizeof *firmware);
    firmware->config = *config;
    enter_safe_state(firmware);
    return RL_OK;
}

void rl_firmware_on_handshake(rl_firmware *firmware, uint64_t now_us)
{
    firmware->status_flags = RL_STATUS_LINKED;
    firmware->last_command_us = now_us;
    enter_safe_state(firmware);
}

rl_rule_report rl_firmware_on_command(rl_firmware *firmware, const rl_command *command, uint32_t sequence, uint64_t now_us)
{
    uint16_t i;
    uint16_t first_clamped = RL_NO_DETAIL;
    /* Counted before the rules: the host measures the line, and a refused command did cross it. */
    firmware->commands_received++;
    firmware->last_command_sequence = sequence;
    if (!(firmware->status_flags & RL_STATUS_LINKED))
        return report(RL_FAULT_NOT_LINKED, RL_NO_DETAIL);
    if (firmware->status_flags & RL_STATUS_EMERGENCY_STOP)
        return report(RL_FAULT_EMERGENCY_STOP, RL_NO_DETAIL);
    if (command->actuator_count != firmware->config.actuator_count) {
        firmware->status_flags |= RL_STATUS_COMMAND_REJECTED;
        return report(RL_FAULT_COMMAND_REJECTED, command->actuator_count);
    }
    for (i = 0; i < command->actuator_count; i++) {
        if (!is_finite(command->targets[i])) {
            firmware->status_flags |= RL_STATUS_COMMAND_REJECTED;
            return report(RL_FAULT_COMMAND_REJECTED, i);
        }
    }

    firmware->last_command_us = now_us;
    firmware->status_flags &= ~(RL_STATUS_COMMAND_REJECTED | RL_STATUS_COMMAND_CLAMPED | RL_STATUS_WATCHDOG_EXPIRED);
    if (command->mode != RL_MODE_ACTIVE) {
        enter_safe_state(firmware);
        return report(RL_FAULT_NONE, RL_NO_DETAIL);
    }

    for (i = 0; i < command->actuator_count; i++) {
        float target = command->targets[i];
        if (target < firmware->config.command_min[i])
            target = firmware->config.command_min[i];
        else if (target > firmware->config.command_max[i])
            target = firmware->config.command_max[i];
        if (target != command->targets[i] && first_clamped == RL_NO_DETAIL)
            first_clamped = i;
        firmware->targets[i] = target;
    }
    firmware->status_flags &= ~RL_STATUS_SAFE_STATE;
    firmware->status_flags |= RL_STATUS_ACTIVE;
    if (first_clamped != RL_NO_DETAIL) {
        firmware->status_flags |= RL_STATUS_COMMAND_CLAMPED;
        return report(RL_FAULT_COMMAND_CLAMPED, first_clamped);
    }
    return report(RL_FAULT_NONE, RL_NO_DETAIL);
}

void rl_firmware_fill_state(const rl_firmware *firmware, rl_state *state)
{
    state->status_flags = firmware->status_flags;
    state->commands_received = firmware->commands_received;
    state->last_command_sequence = firmware->last_command_sequence;
}

void rl_firmware_on_emergency_stop(rl_firmware *firmware)
{
    firmware->status_flags |= RL_STATUS_EMERGENCY_STOP;
    enter_safe_state(firmware);
}

rl_rule_report rl_firmware_tick(rl_firmware *firmware, uint64_t now_us)
{
    if ((firmware->status_flags & RL_STATUS_ACTIVE) && now_us - firmware->last_command_us > firmware->config.watchdog_timeout_us) {
        enter_safe_state(firmware);
        firmware->status_flags |= RL_STATUS_WATCHDOG_EXPIRED;
        return report(RL_FAULT_WATCHDOG_EXPIRED, RL_NO_DETAIL);
    }
    return report(RL_FAULT_NONE, RL_NO_DETAIL);
}
