#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden.h"

static char *trim(char *text)
{
    char *end;
    while (*text == ' ' || *text == '\t')
        text++;
    end = text + strlen(text);
    while (end > text && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        *--end = 0;
    return text;
}

static int parse_floats(const char *text, float *values, int capacity)
{
    int count = 0;
    char *end;
    while (count < capacity) {
        float value = strtof(text, &end);
        if (end == text)
            break;
        values[count++] = value;
        text = end;
    }
    return count;
}

static int set_type(rl_message *m, const char *value)
{
    static const char *names[] = {"", "handshake_request", "handshake_response", "state", "command",
                                  "heartbeat", "fault", "emergency_stop", "acknowledgement"};
    int i;
    for (i = 1; i <= 8; i++)
        if (strcmp(value, names[i]) == 0) {
            m->type = (uint8_t)i;
            return 1;
        }
    return 0;
}

static int set_field(golden_vector *v, const char *key, const char *value)
{
    rl_message *m = &v->message;
    unsigned long long number = strtoull(value, 0, 0);
    if (strcmp(key, "type") == 0)
        return set_type(m, value);
    if (strcmp(key, "sequence") == 0)
        m->sequence = (uint32_t)number;
    else if (strcmp(key, "frame") == 0) {
        size_t length = strlen(value);
        size_t i;
        if (length % 2 != 0 || length / 2 > sizeof v->frame)
            return 0;
        for (i = 0; i < length / 2; i++) {
            char byte[3] = {value[2 * i], value[2 * i + 1], 0};
            v->frame[i] = (uint8_t)strtoul(byte, 0, 16);
        }
        v->frame_length = length / 2;
    } else if (m->type == RL_MSG_HANDSHAKE_REQUEST || m->type == RL_MSG_HANDSHAKE_RESPONSE) {
        rl_handshake *h = &m->body.handshake;
        if (strcmp(key, "protocol_version") == 0)
            h->protocol_version = (uint16_t)number;
        else if (strcmp(key, "robot_name") == 0) {
            size_t length = strlen(value);
            if (length > RL_MAX_NAME)
                return 0;
            memcpy(h->robot_name, value, length + 1);
            h->name_length = (uint8_t)length;
        } else if (strcmp(key, "contract_hash") == 0)
            h->contract_hash = number;
        else if (strcmp(key, "joint_count") == 0)
            h->joint_count = (uint16_t)number;
        else if (strcmp(key, "actuator_count") == 0)
            h->actuator_count = (uint16_t)number;
        else if (strcmp(key, "state_rate_hz") == 0)
            h->state_rate_hz = strtof(value, 0);
        else if (strcmp(key, "control_rate_hz") == 0)
            h->control_rate_hz = strtof(value, 0);
        else if (strcmp(key, "has_imu") == 0)
            h->has_imu = (uint8_t)number;
        else
            return 0;
    } else if (m->type == RL_MSG_STATE) {
        rl_state *s = &m->body.state;
        if (strcmp(key, "device_time_us") == 0)
            s->device_time_us = number;
        else if (strcmp(key, "status_flags") == 0)
            s->status_flags = (uint32_t)number;
        else if (strcmp(key, "commands_received") == 0)
            s->commands_received = (uint32_t)number;
        else if (strcmp(key, "last_command_sequence") == 0)
            s->last_command_sequence = (uint32_t)number;
        else if (strcmp(key, "positions") == 0)
            s->joint_count = (uint16_t)parse_floats(value, s->positions, RL_MAX_JOINTS);
        else if (strcmp(key, "velocities") == 0)
            return parse_floats(value, s->velocities, RL_MAX_JOINTS) == s->joint_count;
        else if (strcmp(key, "efforts") == 0)
            return parse_floats(value, s->efforts, RL_MAX_JOINTS) == s->joint_count;
        else if (strcmp(key, "imu_orientation") == 0) {
            s->has_imu = 1;
            return parse_floats(value, s->imu_orientation, 4) == 4;
        } else if (strcmp(key, "imu_angular_velocity") == 0)
            return parse_floats(value, s->imu_angular_velocity, 3) == 3;
        else if (strcmp(key, "imu_linear_acceleration") == 0)
            return parse_floats(value, s->imu_linear_acceleration, 3) == 3;
        else
            return 0;
    } else if (m->type == RL_MSG_COMMAND) {
        rl_command *c = &m->body.command;
        if (strcmp(key, "state_sequence") == 0)
            c->state_sequence = (uint32_t)number;
        else if (strcmp(key, "mode") == 0)
            c->mode = (uint8_t)number;
        else if (strcmp(key, "targets") == 0)
            c->actuator_count = (uint16_t)parse_floats(value, c->targets, RL_MAX_ACTUATORS);
        else
            return 0;
    } else if (m->type == RL_MSG_HEARTBEAT && strcmp(key, "sender_time_us") == 0)
        m->body.heartbeat.sender_time_us = number;
    else if (m->type == RL_MSG_FAULT) {
        rl_fault *f = &m->body.fault;
        if (strcmp(key, "code") == 0)
            f->code = (uint16_t)number;
        else if (strcmp(key, "detail") == 0)
            f->detail = (uint16_t)number;
        else if (strcmp(key, "text") == 0) {
            size_t length = strlen(value);
            if (length > RL_MAX_FAULT_TEXT)
                return 0;
            memcpy(f->text, value, length + 1);
            f->text_length = (uint8_t)length;
        } else
            return 0;
    } else if (m->type == RL_MSG_EMERGENCY_STOP && strcmp(key, "reason") == 0)
        m->body.emergency_stop.reason = (uint16_t)number;
    else if (m->type == RL_MSG_ACKNOWLEDGEMENT) {
        rl_acknowledgement *a = &m->body.acknowledgement;
        if (strcmp(key, "acknowledged_sequence") == 0)
            a->acknowledged_sequence = (uint32_t)number;
        else if (strcmp(key, "acknowledged_type") == 0)
            a->acknowledged_type = (uint8_t)number;
        else if (strcmp(key, "result") == 0)
            a->result = (uint16_t)number;
        else
            return 0;
    } else
        return 0;
    return 1;
}

int golden_load(const char *path, golden_vector *vectors, int capacity)
{
    static char line[4096];
    FILE *file = fopen(path, "r");
    int count = 0;
    golden_vector *current = 0;
    if (!file) {
        fprintf(stderr, "cannot read golden vectors at %s\n", path);
        return -1;
    }
    while (fgets(line, sizeof line, file)) {
        char *text = trim(line);
        char *equals;
        if (*text == 0 || *text == '#')
            continue;
        if (*text == '[') {
            if (count == capacity)
                break;
            current = &vectors[count++];
            memset(current, 0, sizeof *current);
            text[strlen(text) - 1] = 0;
            strncpy(current->name, text + 1, sizeof current->name - 1);
            continue;
        }
        equals = strchr(text, '=');
        if (!current || !equals) {
            fclose(file);
            return -1;
        }
        *equals = 0;
        if (!set_field(current, trim(text), trim(equals + 1))) {
            fprintf(stderr, "golden vector %s: cannot use field '%s'\n", current->name, trim(text));
            fclose(file);
            return -1;
        }
    }
    fclose(file);
    return count;
}

static int floats_equal(const float *a, const float *b, int count)
{
    return count == 0 || memcmp(a, b, sizeof(float) * (size_t)count) == 0;
}

int golden_message_equal(const rl_message *a, const rl_message *b)
{
    if (a->type != b->type || a->sequence != b->sequence)
        return 0;
    switch (a->type) {
    case RL_MSG_HANDSHAKE_REQUEST:
    case RL_MSG_HANDSHAKE_RESPONSE: {
        const rl_handshake *x = &a->body.handshake, *y = &b->body.handshake;
        return x->protocol_version == y->protocol_version && x->contract_hash == y->contract_hash
            && x->joint_count == y->joint_count && x->actuator_count == y->actuator_count
            && x->state_rate_hz == y->state_rate_hz && x->control_rate_hz == y->control_rate_hz && x->has_imu == y->has_imu
            && x->name_length == y->name_length && memcmp(x->robot_name, y->robot_name, x->name_length) == 0;
    }
    case RL_MSG_STATE: {
        const rl_state *x = &a->body.state, *y = &b->body.state;
        int n = x->joint_count;
        return x->device_time_us == y->device_time_us && x->status_flags == y->status_flags && n == y->joint_count
            && x->commands_received == y->commands_received && x->last_command_sequence == y->last_command_sequence
            && x->has_imu == y->has_imu && floats_equal(x->positions, y->positions, n) && floats_equal(x->velocities, y->velocities, n)
            && floats_equal(x->efforts, y->efforts, n)
            && (!x->has_imu
                || (floats_equal(x->imu_orientation, y->imu_orientation, 4) && floats_equal(x->imu_angular_velocity, y->imu_angular_velocity, 3)
                    && floats_equal(x->imu_linear_acceleration, y->imu_linear_acceleration, 3)));
    }
    case RL_MSG_COMMAND: {
        const rl_command *x = &a->body.command, *y = &b->body.command;
        return x->state_sequence == y->state_sequence && x->mode == y->mode && x->actuator_count == y->actuator_count
            && floats_equal(x->targets, y->targets, x->actuator_count);
    }
    case RL_MSG_HEARTBEAT:
        return a->body.heartbeat.sender_time_us == b->body.heartbeat.sender_time_us;
    case RL_MSG_FAULT:
        return a->body.fault.code == b->body.fault.code && a->body.fault.detail == b->body.fault.detail
            && a->body.fault.text_length == b->body.fault.text_length
            && memcmp(a->body.fault.text, b->body.fault.text, a->body.fault.text_length) == 0;
    case RL_MSG_EMERGENCY_STOP:
        return a->body.emergency_stop.reason == b->body.emergency_stop.reason;
    case RL_MSG_ACKNOWLEDGEMENT:
        return a->body.acknowledgement.acknowledged_sequence == b->body.acknowledgement.acknowledged_sequence
            && a->body.acknowledgement.acknowledged_type == b->body.acknowledgement.acknowledged_type
            && a->body.acknowledgement.result == b->body.acknowledgement.result;
    default:
        return 0;
    }
}
