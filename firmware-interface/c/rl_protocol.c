/* Message bodies, payload header and frames (docs/serial-protocol.md). */
#include <string.h>

#include "rl_protocol.h"

typedef char rl_float_is_32_bits[sizeof(float) == 4 ? 1 : -1];

#define HANDSHAKE_FIXED_BODY 24u
#define STATE_FIXED_BODY 24u
#define COMMAND_FIXED_BODY 8u
#define IMU_FLOATS 10u

typedef struct {
    uint8_t *data;
    size_t capacity;
    size_t length;
    int ok;
} writer;

typedef struct {
    const uint8_t *data;
    size_t length;
    size_t position;
    int ok;
} reader;

static uint8_t *take_out(writer *w, size_t count)
{
    uint8_t *at;
    if (!w->ok || w->capacity - w->length < count) {
        w->ok = 0;
        return 0;
    }
    at = w->data + w->length;
    w->length += count;
    return at;
}

static void put_u8(writer *w, uint8_t value)
{
    uint8_t *at = take_out(w, 1);
    if (at)
        at[0] = value;
}

static void put_u16(writer *w, uint16_t value)
{
    uint8_t *at = take_out(w, 2);
    if (at) {
        at[0] = (uint8_t)value;
        at[1] = (uint8_t)(value >> 8);
    }
}

static void put_u32(writer *w, uint32_t value)
{
    uint8_t *at = take_out(w, 4);
    int i;
    if (at)
        for (i = 0; i < 4; i++)
            at[i] = (uint8_t)(value >> (8 * i));
}

static void put_u64(writer *w, uint64_t value)
{
    uint8_t *at = take_out(w, 8);
    int i;
    if (at)
        for (i = 0; i < 8; i++)
            at[i] = (uint8_t)(value >> (8 * i));
}

static void put_f32(writer *w, float value)
{
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    put_u32(w, bits);
}

static void put_f32s(writer *w, const float *values, size_t count)
{
    size_t i;
    for (i = 0; i < count; i++)
        put_f32(w, values[i]);
}

static void put_bytes(writer *w, const void *bytes, size_t count)
{
    uint8_t *at = take_out(w, count);
    if (at && count > 0)
        memcpy(at, bytes, count);
}

static const uint8_t *take_in(reader *r, size_t count)
{
    const uint8_t *at;
    if (!r->ok || r->length - r->position < count) {
        r->ok = 0;
        return 0;
    }
    at = r->data + r->position;
    r->position += count;
    return at;
}

static uint8_t get_u8(reader *r)
{
    const uint8_t *at = take_in(r, 1);
    return at ? at[0] : 0;
}

static uint16_t get_u16(reader *r)
{
    const uint8_t *at = take_in(r, 2);
    /* Unsigned throughout, so that -Wconversion also holds in the -fsanitize=undefined build. */
    return at ? (uint16_t)((unsigned)at[0] | ((unsigned)at[1] << 8)) : 0u;
}

static uint32_t get_u32(reader *r)
{
    const uint8_t *at = take_in(r, 4);
    return at ? (uint32_t)at[0] | ((uint32_t)at[1] << 8) | ((uint32_t)at[2] << 16) | ((uint32_t)at[3] << 24) : 0;
}

static uint64_t get_u64(reader *r)
{
    uint64_t low = get_u32(r);
    uint64_t high = get_u32(r);
    return low | (high << 32);
}

static float get_f32(reader *r)
{
    uint32_t bits = get_u32(r);
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

static void get_f32s(reader *r, float *values, size_t count)
{
    size_t i;
    for (i = 0; i < count; i++)
        values[i] = get_f32(r);
}

int rl_encode_payload(const rl_message *message, uint8_t *payload, size_t capacity)
{
    writer w;
    w.data = payload;
    w.capacity = capacity < RL_MAX_PAYLOAD ? capacity : RL_MAX_PAYLOAD;
    w.length = 0;
    w.ok = 1;
    put_u8(&w, RL_PROTOCOL_VERSION);
    put_u8(&w, message->type);
    put_u32(&w, message->sequence);

    switch (message->type) {
    case RL_MSG_HANDSHAKE_REQUEST:
    case RL_MSG_HANDSHAKE_RESPONSE: {
        const rl_handshake *h = &message->body.handshake;
        if (h->name_length > RL_MAX_NAME || h->has_imu > 1 || h->joint_count > RL_MAX_JOINTS || h->actuator_count > RL_MAX_ACTUATORS)
            return RL_ERR_ARGUMENT;
        put_u16(&w, h->protocol_version);
        put_u64(&w, h->contract_hash);
        put_u16(&w, h->joint_count);
        put_u16(&w, h->actuator_count);
        put_f32(&w, h->state_rate_hz);
        put_f32(&w, h->control_rate_hz);
        put_u8(&w, h->has_imu);
        put_u8(&w, h->name_length);
        put_bytes(&w, h->robot_name, h->name_length);
        break;
    }
    case RL_MSG_STATE: {
        const rl_state *s = &message->body.state;
        if (s->joint_count > RL_MAX_JOINTS || s->has_imu > 1)
            return RL_ERR_ARGUMENT;
        put_u64(&w, s->device_time_us);
        put_u32(&w, s->status_flags);
        put_u16(&w, s->joint_count);
        put_u8(&w, s->has_imu);
        put_u8(&w, 0);
        put_u32(&w, s->commands_received);
        put_u32(&w, s->last_command_sequence);
        put_f32s(&w, s->positions, s->joint_count);
        put_f32s(&w, s->velocities, s->joint_count);
        put_f32s(&w, s->efforts, s->joint_count);
        if (s->has_imu) {
            put_f32s(&w, s->imu_orientation, 4);
            put_f32s(&w, s->imu_angular_velocity, 3);
            put_f32s(&w, s->imu_linear_acceleration, 3);
        }
        break;
    }
    case RL_MSG_COMMAND: {
        const rl_command *c = &message->body.command;
        if (c->actuator_count > RL_MAX_ACTUATORS || c->mode > RL_MODE_ACTIVE)
            return RL_ERR_ARGUMENT;
        put_u32(&w, c->state_sequence);
        put_u8(&w, c->mode);
        put_u8(&w, 0);
        put_u16(&w, c->actuator_count);
        put_f32s(&w, c->targets, c->actuator_count);
        break;
    }
    case RL_MSG_HEARTBEAT:
        put_u64(&w, message->body.heartbeat.sender_time_us);
        break;
    case RL_MSG_FAULT: {
        const rl_fault *f = &message->body.fault;
        if (f->text_length > RL_MAX_FAULT_TEXT)
            return RL_ERR_ARGUMENT;
        put_u16(&w, f->code);
        put_u16(&w, f->detail);
        put_u8(&w, f->text_length);
        put_bytes(&w, f->text, f->text_length);
        break;
    }
    case RL_MSG_EMERGENCY_STOP:
        put_u16(&w, message->body.emergency_stop.reason);
        break;
    case RL_MSG_ACKNOWLEDGEMENT:
        put_u32(&w, message->body.acknowledgement.acknowledged_sequence);
        put_u8(&w, message->body.acknowledgement.acknowledged_type);
        put_u8(&w, 0);
        put_u16(&w, message->body.acknowledgement.result);
        break;
    default:
        return RL_ERR_ARGUMENT;
    }
    return w.ok ? (int)w.length : RL_ERR_BUFFER;
}

int rl_decode_payload(const uint8_t *payload, size_t length, rl_message *message)
{
    reader r;
    size_t body_length;
    uint8_t version;
    r.data = payload;
    r.length = length;
    r.position = 0;
    r.ok = 1;
    version = get_u8(&r);
    message->type = get_u8(&r);
    message->sequence = get_u32(&r);
    if (!r.ok)
        return RL_ERR_MALFORMED;
    if (version != RL_PROTOCOL_VERSION)
        return RL_ERR_VERSION;
    body_length = length - RL_HEADER_SIZE;

    switch (message->type) {
    case RL_MSG_HANDSHAKE_REQUEST:
    case RL_MSG_HANDSHAKE_RESPONSE: {
        rl_handshake *h = &message->body.handshake;
        const uint8_t *name;
        h->protocol_version = get_u16(&r);
        h->contract_hash = get_u64(&r);
        h->joint_count = get_u16(&r);
        h->actuator_count = get_u16(&r);
        h->state_rate_hz = get_f32(&r);
        h->control_rate_hz = get_f32(&r);
        h->has_imu = get_u8(&r);
        h->name_length = get_u8(&r);
        if (!r.ok || h->name_length > RL_MAX_NAME || h->has_imu > 1 || body_length != HANDSHAKE_FIXED_BODY + h->name_length)
            return RL_ERR_MALFORMED;
        name = take_in(&r, h->name_length);
        memcpy(h->robot_name, name, h->name_length);
        h->robot_name[h->name_length] = 0;
        break;
    }
    case RL_MSG_STATE: {
        rl_state *s = &message->body.state;
        s->device_time_us = get_u64(&r);
        s->status_flags = get_u32(&r);
        s->joint_count = get_u16(&r);
        s->has_imu = get_u8(&r);
        (void)get_u8(&r);
        s->commands_received = get_u32(&r);
        s->last_command_sequence = get_u32(&r);
        if (!r.ok || s->joint_count > RL_MAX_JOINTS || s->has_imu > 1
            || body_length != STATE_FIXED_BODY + 12u * s->joint_count + (s->has_imu ? 4u * IMU_FLOATS : 0u))
            return RL_ERR_MALFORMED;
        get_f32s(&r, s->positions, s->joint_count);
        get_f32s(&r, s->velocities, s->joint_count);
        get_f32s(&r, s->efforts, s->joint_count);
        if (s->has_imu) {
            get_f32s(&r, s->imu_orientation, 4);
            get_f32s(&r, s->imu_angular_velocity, 3);
            get_f32s(&r, s->imu_linear_acceleration, 3);
        }
        break;
    }
    case RL_MSG_COMMAND: {
        rl_command *c = &message->body.command;
        c->state_sequence = get_u32(&r);
        c->mode = get_u8(&r);
        (void)get_u8(&r);
        c->actuator_count = get_u16(&r);
        if (!r.ok || c->mode > RL_MODE_ACTIVE || c->actuator_count > RL_MAX_ACTUATORS
            || body_length != COMMAND_FIXED_BODY + 4u * c->actuator_count)
            return RL_ERR_MALFORMED;
        get_f32s(&r, c->targets, c->actuator_count);
        break;
    }
    case RL_MSG_HEARTBEAT:
        message->body.heartbeat.sender_time_us = get_u64(&r);
        break;
    case RL_MSG_FAULT: {
        rl_fault *f = &message->body.fault;
        const uint8_t *text;
        f->code = get_u16(&r);
        f->detail = get_u16(&r);
        f->text_length = get_u8(&r);
        if (!r.ok || f->text_length > RL_MAX_FAULT_TEXT)
            return RL_ERR_MALFORMED;
        text = take_in(&r, f->text_length);
        if (!text)
            return RL_ERR_MALFORMED;
        memcpy(f->text, text, f->text_length);
        f->text[f->text_length] = 0;
        break;
    }
    case RL_MSG_EMERGENCY_STOP:
        message->body.emergency_stop.reason = get_u16(&r);
        break;
    case RL_MSG_ACKNOWLEDGEMENT:
        message->body.acknowledgement.acknowledged_sequence = get_u32(&r);
        message->body.acknowledgement.acknowledged_type = get_u8(&r);
        (void)get_u8(&r);
        message->body.acknowledgement.result = get_u16(&r);
        break;
    default:
        return RL_ERR_MALFORMED;
    }
    /* Every body has an exact length: trailing bytes mean a frame this side does not understand. */
    return r.ok && r.position == length ? RL_OK : RL_ERR_MALFORMED;
}

int rl_encode_frame(const rl_message *message, uint8_t *frame, size_t capacity)
{
    /* Stage payload and CRC at an offset inside frame, then COBS-encode in place towards the front. */
    const size_t offset = 8;
    int payload_length;
    uint32_t crc;
    size_t total;
    size_t encoded;
    if (capacity < RL_FRAME_BUFFER_SIZE)
        return RL_ERR_BUFFER;
    payload_length = rl_encode_payload(message, frame + offset, RL_MAX_PAYLOAD);
    if (payload_length < 0)
        return payload_length;
    crc = rl_crc32(frame + offset, (size_t)payload_length);
    total = (size_t)payload_length;
    frame[offset + total++] = (uint8_t)crc;
    frame[offset + total++] = (uint8_t)(crc >> 8);
    frame[offset + total++] = (uint8_t)(crc >> 16);
    frame[offset + total++] = (uint8_t)(crc >> 24);
    encoded = rl_cobs_encode(frame + offset, total, frame, capacity - 1);
    if (encoded == 0)
        return RL_ERR_BUFFER;
    frame[encoded] = 0;
    return (int)(encoded + 1);
}

int rl_decode_block(uint8_t *block, size_t length, size_t *payload_length)
{
    int decoded;
    size_t body_end;
    uint32_t expected;
    *payload_length = 0;
    if (length > RL_MAX_FRAME - 1u)
        return RL_ERR_OVERSIZE;
    decoded = rl_cobs_decode(block, length, block, length);
    if (decoded < (int)(RL_HEADER_SIZE + RL_CRC_SIZE))
        return RL_ERR_MALFORMED;
    body_end = (size_t)decoded - RL_CRC_SIZE;
    expected = (uint32_t)block[body_end] | ((uint32_t)block[body_end + 1] << 8) | ((uint32_t)block[body_end + 2] << 16)
        | ((uint32_t)block[body_end + 3] << 24);
    if (rl_crc32(block, body_end) != expected)
        return RL_ERR_BAD_CRC;
    *payload_length = body_end;
    return RL_OK;
}
