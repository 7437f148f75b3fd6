/* Host unit tests of the C protocol and firmware rules: golden vectors both ways, COBS, CRC, frame reader,
 * watchdog, limits and the count of commands received. Prints "N passed, N failed"; exit status 1 on any failure. */
#include <stdio.h>
#include <string.h>

#include "../rl_firmware.h"
#include "../rl_protocol.h"
#include "golden.h"

static int passed;
static int failed;

#define CHECK(condition)                                                                \
    do {                                                                                \
        if (condition) {                                                                \
            passed++;                                                                   \
        } else {                                                                        \
            failed++;                                                                   \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
        }                                                                               \
    } while (0)

static void test_crc_check_value(void)
{
    CHECK(rl_crc32((const uint8_t *)"123456789", 9) == 0xCBF43926u);
    CHECK(rl_crc32((const uint8_t *)"", 0) == 0u);
}

static void cobs_case(const uint8_t *data, size_t length, const uint8_t *expected, size_t expected_length)
{
    uint8_t encoded[600];
    uint8_t decoded[600];
    size_t n = rl_cobs_encode(data, length, encoded, sizeof encoded);
    CHECK(n == expected_length && memcmp(encoded, expected, expected_length) == 0);
    CHECK(rl_cobs_decode(encoded, n, decoded, sizeof decoded) == (int)length && memcmp(decoded, data, length) == 0);
}

static void test_cobs_published_examples(void)
{
    static const uint8_t a[] = {0x00}, ea[] = {0x01, 0x01};
    static const uint8_t b[] = {0x00, 0x00}, eb[] = {0x01, 0x01, 0x01};
    static const uint8_t c[] = {0x11, 0x22, 0x00, 0x33}, ec[] = {0x03, 0x11, 0x22, 0x02, 0x33};
    static const uint8_t d[] = {0x11, 0x00, 0x00, 0x00}, ed[] = {0x02, 0x11, 0x01, 0x01, 0x01};
    uint8_t run[256];
    uint8_t expected[260];
    int i;
    cobs_case(a, sizeof a, ea, sizeof ea);
    cobs_case(b, sizeof b, eb, sizeof eb);
    cobs_case(c, sizeof c, ec, sizeof ec);
    cobs_case(d, sizeof d, ed, sizeof ed);

    /* 01..FE: one full block, no trailing code byte. */
    for (i = 0; i < 254; i++)
        run[i] = (uint8_t)(i + 1);
    expected[0] = 0xFF;
    memcpy(expected + 1, run, 254);
    cobs_case(run, 254, expected, 255);

    /* 01..FF: a full block then a block of one byte. */
    for (i = 0; i < 255; i++)
        run[i] = (uint8_t)(i + 1);
    expected[255] = 0x02;
    expected[256] = 0xFF;
    cobs_case(run, 255, expected, 257);
}

static void test_cobs_rejects_bad_blocks(void)
{
    static const uint8_t zero_inside[] = {0x03, 0x11, 0x00};
    static const uint8_t too_short[] = {0x05, 0x11, 0x22};
    uint8_t out[8];
    CHECK(rl_cobs_decode(zero_inside, sizeof zero_inside, out, sizeof out) == RL_ERR_MALFORMED);
    CHECK(rl_cobs_decode(too_short, sizeof too_short, out, sizeof out) == RL_ERR_MALFORMED);
}

static void test_golden_vectors(const char *path)
{
    golden_vector vectors[GOLDEN_MAX_VECTORS];
    int count = golden_load(path, vectors, GOLDEN_MAX_VECTORS);
    int types_seen = 0;
    int i;
    CHECK(count >= 8);
    for (i = 0; i < count; i++) {
        static uint8_t frame[RL_FRAME_BUFFER_SIZE];
        static rl_message decoded;
        rl_frame_reader reader;
        const uint8_t *payload = 0;
        size_t payload_length = 0;
        size_t j;
        int length = rl_encode_frame(&vectors[i].message, frame, sizeof frame);
        int same_bytes = length == (int)vectors[i].frame_length && memcmp(frame, vectors[i].frame, vectors[i].frame_length) == 0;
        if (!same_bytes)
            fprintf(stderr, "golden vector %s: encoded bytes differ\n", vectors[i].name);
        CHECK(same_bytes);

        rl_frame_reader_init(&reader);
        for (j = 0; j < vectors[i].frame_length; j++)
            payload_length = rl_frame_reader_push(&reader, vectors[i].frame[j], &payload);
        CHECK(payload_length > 0 && rl_decode_payload(payload, payload_length, &decoded) == RL_OK);
        if (!golden_message_equal(&decoded, &vectors[i].message)) {
            fprintf(stderr, "golden vector %s: decoded fields differ\n", vectors[i].name);
            CHECK(0);
        } else {
            CHECK(1);
        }
        types_seen |= 1 << vectors[i].message.type;
    }
    /* Every message type 1..8 has a vector. */
    CHECK(types_seen == 0x1FE);
}

static size_t encode_heartbeat(uint8_t *frame, uint32_t sequence)
{
    rl_message message;
    memset(&message, 0, sizeof message);
    message.type = RL_MSG_HEARTBEAT;
    message.sequence = sequence;
    message.body.heartbeat.sender_time_us = 1000u * sequence;
    return (size_t)rl_encode_frame(&message, frame, RL_FRAME_BUFFER_SIZE);
}

static void test_frame_reader_survives_noise_and_corruption(void)
{
    static uint8_t frame[RL_FRAME_BUFFER_SIZE];
    static const uint8_t noise[] = {0x13, 0x00, 0xFF, 0x42, 0x00, 0x00, 0x07};
    rl_frame_reader reader;
    rl_message message;
    const uint8_t *payload;
    size_t length;
    size_t i;
    size_t decoded_frames = 0;
    uint32_t sequence;
    rl_frame_reader_init(&reader);
    for (sequence = 1; sequence <= 3; sequence++) {
        for (i = 0; i < sizeof noise; i++)
            (void)rl_frame_reader_push(&reader, noise[i], &payload);
        (void)rl_frame_reader_push(&reader, 0, &payload); /* noise ends at a delimiter */
        length = encode_heartbeat(frame, sequence);
        if (sequence == 2)
            frame[3] ^= 0x10; /* one flipped bit */
        for (i = 0; i < length; i++) {
            size_t n = rl_frame_reader_push(&reader, frame[i], &payload);
            if (n > 0 && rl_decode_payload(payload, n, &message) == RL_OK) {
                decoded_frames++;
                CHECK(message.sequence == sequence);
            }
        }
    }
    CHECK(decoded_frames == 2);
    CHECK(reader.bad_crc == 1);

    /* A block longer than any frame is dropped and the next frame still decodes. */
    for (i = 0; i < RL_MAX_FRAME + 10; i++)
        (void)rl_frame_reader_push(&reader, 0x55, &payload);
    (void)rl_frame_reader_push(&reader, 0, &payload);
    CHECK(reader.oversize == 1);
    length = encode_heartbeat(frame, 9);
    decoded_frames = 0;
    for (i = 0; i < length; i++)
        if (rl_frame_reader_push(&reader, frame[i], &payload) > 0)
            decoded_frames++;
    CHECK(decoded_frames == 1);
}

/* Random bytes, fed as a stream and as payloads, never crash the reader or the decoder (run under a sanitizer
 * with `make CFLAGS="-std=c99 -g -fsanitize=address,undefined" test`). */
/* What a decoder accepted encodes back to the same bytes, except the reserved bytes it ignores. */
static int decoded_payload_round_trips(const uint8_t *bytes, size_t length, const rl_message *message)
{
    uint8_t again[RL_MAX_PAYLOAD];
    uint8_t original[64];
    int encoded = rl_encode_payload(message, again, sizeof again);
    size_t reserved = 0;
    if (encoded != (int)length || length > sizeof original)
        return 0;
    memcpy(original, bytes, length);
    if (message->type == RL_MSG_STATE)
        reserved = RL_HEADER_SIZE + 15u;
    else if (message->type == RL_MSG_COMMAND || message->type == RL_MSG_ACKNOWLEDGEMENT)
        reserved = RL_HEADER_SIZE + 5u;
    if (reserved != 0)
        original[reserved] = again[reserved];
    return memcmp(original, again, length) == 0;
}

static void test_random_input_is_survived(void)
{
    static rl_frame_reader reader;
    static rl_message message;
    uint32_t seed = 12345u;
    const uint8_t *payload;
    long frames = 0;
    long decoded = 0;
    long refused = 0;
    long other = 0;
    long i;
    rl_frame_reader_init(&reader);
    for (i = 0; i < 200000; i++) {
        size_t n;
        seed = seed * 1664525u + 1013904223u;
        n = rl_frame_reader_push(&reader, (uint8_t)(seed >> 24), &payload);
        if (n > 0) {
            frames++;
            (void)rl_decode_payload(payload, n, &message);
        }
    }
    for (i = 0; i < 20000; i++) {
        uint8_t bytes[64];
        size_t length;
        size_t j;
        int result;
        seed = seed * 1664525u + 1013904223u;
        length = (seed >> 24) % sizeof bytes;
        for (j = 0; j < length; j++) {
            seed = seed * 1664525u + 1013904223u;
            bytes[j] = (uint8_t)(seed >> 24);
        }
        if (length > 0)
            bytes[0] = RL_PROTOCOL_VERSION;
        /* Half of them carry a known type, so that the bodies' own checks are reached. */
        if (length > 1 && (i & 1))
            bytes[1] = (uint8_t)(RL_MSG_HANDSHAKE_REQUEST + (seed >> 8) % 8u);
        result = rl_decode_payload(bytes, length, &message);
        if (result == RL_OK) {
            decoded++;
            CHECK(decoded_payload_round_trips(bytes, length, &message));
        } else if (result == RL_ERR_MALFORMED) {
            refused++;
        } else {
            other++;
        }
    }
    /* The version is right, so every payload decodes or is refused as malformed, never anything else. */
    CHECK(other == 0);
    CHECK(refused > 10000);
    CHECK(decoded > 50);
    /* A CRC-32 lets a random block through about once in four billion. */
    CHECK(frames == 0);
    CHECK(reader.malformed + reader.bad_crc > 500);
}

static void test_decode_refuses_other_version(void)
{
    uint8_t payload[16];
    rl_message message;
    memset(&message, 0, sizeof message);
    message.type = RL_MSG_EMERGENCY_STOP;
    CHECK(rl_encode_payload(&message, payload, sizeof payload) == 8);
    payload[0] = 1; /* version 1 states had another layout */
    CHECK(rl_decode_payload(payload, 8, &message) == RL_ERR_VERSION);
    payload[0] = 3;
    CHECK(rl_decode_payload(payload, 8, &message) == RL_ERR_VERSION);
}

static rl_firmware make_firmware(void)
{
    rl_firmware_config config;
    rl_firmware firmware;
    memset(&config, 0, sizeof config);
    config.actuator_count = 2;
    config.command_min[0] = -20.0f;
    config.command_max[0] = 20.0f;
    config.command_min[1] = -1.0f;
    config.command_max[1] = 2.0f;
    config.safe_target[0] = 0.0f;
    config.safe_target[1] = 0.5f;
    config.watchdog_timeout_us = 30000;
    CHECK(rl_firmware_init(&firmware, &config) == RL_OK);
    return firmware;
}

static rl_command make_command(float a, float b)
{
    rl_command command;
    memset(&command, 0, sizeof command);
    command.mode = RL_MODE_ACTIVE;
    command.actuator_count = 2;
    command.targets[0] = a;
    command.targets[1] = b;
    return command;
}

static void test_firmware_refuses_commands_before_handshake(void)
{
    rl_firmware firmware = make_firmware();
    rl_command command = make_command(1.0f, 1.0f);
    CHECK(rl_firmware_on_command(&firmware, &command, 7u, 0).code == RL_FAULT_NOT_LINKED);
    CHECK(firmware.status_flags & RL_STATUS_SAFE_STATE);
    CHECK(firmware.targets[1] == 0.5f);
}

static void test_firmware_clamps_and_reports_out_of_range_targets(void)
{
    rl_firmware firmware = make_firmware();
    rl_command command = make_command(5.0f, 3.0f);
    rl_rule_report report;
    rl_firmware_on_handshake(&firmware, 0);
    report = rl_firmware_on_command(&firmware, &command, 7u, 1000);
    CHECK(report.code == RL_FAULT_COMMAND_CLAMPED && report.detail == 1);
    CHECK(firmware.targets[0] == 5.0f && firmware.targets[1] == 2.0f);
    CHECK((firmware.status_flags & (RL_STATUS_ACTIVE | RL_STATUS_COMMAND_CLAMPED)) == (RL_STATUS_ACTIVE | RL_STATUS_COMMAND_CLAMPED));

    command = make_command(-50.0f, 0.0f);
    report = rl_firmware_on_command(&firmware, &command, 7u, 2000);
    CHECK(report.code == RL_FAULT_COMMAND_CLAMPED && report.detail == 0 && firmware.targets[0] == -20.0f);

    command = make_command(1.0f, 0.0f);
    CHECK(rl_firmware_on_command(&firmware, &command, 7u, 3000).code == RL_FAULT_NONE);
    CHECK(!(firmware.status_flags & RL_STATUS_COMMAND_CLAMPED));
}

static void test_firmware_rejects_wrong_count_and_non_finite_targets(void)
{
    rl_firmware firmware = make_firmware();
    rl_command command = make_command(1.0f, 1.0f);
    float zero = 0.0f;
    rl_firmware_on_handshake(&firmware, 0);
    command.actuator_count = 3;
    CHECK(rl_firmware_on_command(&firmware, &command, 7u, 100).code == RL_FAULT_COMMAND_REJECTED);
    command = make_command(zero / zero, 1.0f);
    CHECK(rl_firmware_on_command(&firmware, &command, 7u, 200).code == RL_FAULT_COMMAND_REJECTED);
    command = make_command(1.0f / zero, 1.0f);
    CHECK(rl_firmware_on_command(&firmware, &command, 7u, 300).code == RL_FAULT_COMMAND_REJECTED);
    CHECK(firmware.status_flags & RL_STATUS_COMMAND_REJECTED);
    CHECK(firmware.status_flags & RL_STATUS_SAFE_STATE);
}

static void test_firmware_watchdog_puts_actuators_in_safe_state(void)
{
    rl_firmware firmware = make_firmware();
    rl_command command = make_command(10.0f, 1.0f);
    rl_firmware_on_handshake(&firmware, 0);
    CHECK(rl_firmware_on_command(&firmware, &command, 7u, 1000).code == RL_FAULT_NONE);
    CHECK(rl_firmware_tick(&firmware, 31000).code == RL_FAULT_NONE); /* exactly the timeout: still fine */
    CHECK(firmware.targets[0] == 10.0f);
    CHECK(rl_firmware_tick(&firmware, 31001).code == RL_FAULT_WATCHDOG_EXPIRED);
    CHECK(firmware.targets[0] == 0.0f && firmware.targets[1] == 0.5f);
    CHECK(firmware.status_flags & RL_STATUS_WATCHDOG_EXPIRED);
    CHECK(firmware.status_flags & RL_STATUS_SAFE_STATE);
    CHECK(!(firmware.status_flags & RL_STATUS_ACTIVE));
    CHECK(rl_firmware_tick(&firmware, 40000).code == RL_FAULT_NONE); /* reported once */

    /* A valid command resumes control and clears the flag. */
    CHECK(rl_firmware_on_command(&firmware, &command, 7u, 41000).code == RL_FAULT_NONE);
    CHECK(!(firmware.status_flags & RL_STATUS_WATCHDOG_EXPIRED) && (firmware.status_flags & RL_STATUS_ACTIVE));
}

static void test_firmware_emergency_stop_latches_until_handshake(void)
{
    rl_firmware firmware = make_firmware();
    rl_command command = make_command(10.0f, 1.0f);
    rl_firmware_on_handshake(&firmware, 0);
    (void)rl_firmware_on_command(&firmware, &command, 7u, 10);
    rl_firmware_on_emergency_stop(&firmware);
    CHECK(firmware.targets[0] == 0.0f);
    CHECK(rl_firmware_on_command(&firmware, &command, 7u, 20).code == RL_FAULT_EMERGENCY_STOP);
    CHECK(firmware.targets[0] == 0.0f);
    rl_firmware_on_handshake(&firmware, 30);
    CHECK(rl_firmware_on_command(&firmware, &command, 7u, 40).code == RL_FAULT_NONE);
    CHECK(firmware.targets[0] == 10.0f);
}

/* The host subtracts counts between states, so the count must wrap like a u32 and include every intact command:
 * refused ones (not linked, emergency stop, rejected) crossed the line all the same. */
static void test_firmware_counts_every_command_received_and_wraps(void)
{
    rl_firmware firmware = make_firmware();
    rl_command command = make_command(1.0f, 1.0f);
    rl_state state;
    memset(&state, 0, sizeof state);
    CHECK(firmware.commands_received == 0u);
    CHECK(rl_firmware_on_command(&firmware, &command, 100u, 0).code == RL_FAULT_NOT_LINKED);
    CHECK(firmware.commands_received == 1u && firmware.last_command_sequence == 100u);

    rl_firmware_on_handshake(&firmware, 0);
    CHECK(firmware.commands_received == 1u); /* a handshake does not reset it: the host keeps its own baseline */
    (void)rl_firmware_on_command(&firmware, &command, 101u, 10);
    command.actuator_count = 3;
    CHECK(rl_firmware_on_command(&firmware, &command, 102u, 20).code == RL_FAULT_COMMAND_REJECTED);
    CHECK(firmware.commands_received == 3u && firmware.last_command_sequence == 102u);

    firmware.commands_received = 0xFFFFFFFFu;
    command.actuator_count = 2;
    (void)rl_firmware_on_command(&firmware, &command, 0xFFFFFFFFu, 30);
    CHECK(firmware.commands_received == 0u && firmware.last_command_sequence == 0xFFFFFFFFu);
    (void)rl_firmware_on_command(&firmware, &command, 0u, 40);
    CHECK(firmware.commands_received == 1u && firmware.last_command_sequence == 0u);

    rl_firmware_fill_state(&firmware, &state);
    CHECK(state.commands_received == 1u && state.last_command_sequence == 0u && state.status_flags == firmware.status_flags);
}

int main(int argc, char **argv)
{
    const char *vectors = argc > 1 ? argv[1] : "../golden/vectors.txt";
    test_crc_check_value();
    test_cobs_published_examples();
    test_cobs_rejects_bad_blocks();
    test_golden_vectors(vectors);
    test_frame_reader_survives_noise_and_corruption();
    test_decode_refuses_other_version();
    test_random_input_is_survived();
    test_firmware_refuses_commands_before_handshake();
    test_firmware_clamps_and_reports_out_of_range_targets();
    test_firmware_rejects_wrong_count_and_non_finite_targets();
    test_firmware_watchdog_puts_actuators_in_safe_state();
    test_firmware_emergency_stop_latches_until_handshake();
    test_firmware_counts_every_command_received_and_wraps();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
