/*
 * Robot serial link protocol, version 2 (docs/serial-protocol.md).
 * Portable C99: no dynamic memory, only <stdint.h>, <stddef.h> and <string.h>.
 * Frame on the wire: COBS(payload || CRC-32/ISO-HDLC(payload) little-endian) followed by 0x00.
 * Payload: version u8, type u8, sequence u32, then the body. All fields little-endian; floats are IEEE-754 binary32.
 */
#ifndef RL_PROTOCOL_H
#define RL_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version 2: state frames report the commands the robot received (commands_received, last_command_sequence). */
#define RL_PROTOCOL_VERSION 2u
#define RL_HEADER_SIZE 6u
/* The three capacities below may be lowered at build time (e.g. -DRL_MAX_JOINTS=16) to fit a small
 * microcontroller; a frame beyond them is then refused as oversize or malformed, never overrun. */
#define RL_CRC_SIZE 4u
#ifndef RL_MAX_PAYLOAD
#define RL_MAX_PAYLOAD 1024u
#endif
/* Largest encoded frame including its delimiter. */
#define RL_MAX_FRAME (RL_MAX_PAYLOAD + RL_CRC_SIZE + (RL_MAX_PAYLOAD + RL_CRC_SIZE + 253u) / 254u + 1u)
/* Size of a buffer that rl_encode_frame can build a frame in (the payload is staged inside it). */
#define RL_FRAME_BUFFER_SIZE (RL_MAX_PAYLOAD + RL_CRC_SIZE + 8u)
#ifndef RL_MAX_JOINTS
#define RL_MAX_JOINTS 64u
#endif
#ifndef RL_MAX_ACTUATORS
#define RL_MAX_ACTUATORS 64u
#endif
#define RL_MAX_NAME 32u
#define RL_MAX_FAULT_TEXT 96u
#define RL_NO_DETAIL 0xFFFFu

typedef enum {
    RL_MSG_HANDSHAKE_REQUEST = 0x01,
    RL_MSG_HANDSHAKE_RESPONSE = 0x02,
    RL_MSG_STATE = 0x03,
    RL_MSG_COMMAND = 0x04,
    RL_MSG_HEARTBEAT = 0x05,
    RL_MSG_FAULT = 0x06,
    RL_MSG_EMERGENCY_STOP = 0x07,
    RL_MSG_ACKNOWLEDGEMENT = 0x08
} rl_message_type;

typedef enum { RL_MODE_SAFE = 0, RL_MODE_ACTIVE = 1 } rl_command_mode;

/* Status flags of a state frame. */
#define RL_STATUS_LINKED (1u << 0)
#define RL_STATUS_ACTIVE (1u << 1)
#define RL_STATUS_SAFE_STATE (1u << 2)
#define RL_STATUS_WATCHDOG_EXPIRED (1u << 3)
#define RL_STATUS_EMERGENCY_STOP (1u << 4)
#define RL_STATUS_COMMAND_CLAMPED (1u << 5)
#define RL_STATUS_COMMAND_REJECTED (1u << 6)
#define RL_STATUS_LOCKSTEP (1u << 7) /* set by emulated robots that step only when answered; never by firmware */

typedef enum {
    RL_FAULT_NONE = 0,
    RL_FAULT_PROTOCOL_VERSION_MISMATCH = 1,
    RL_FAULT_WATCHDOG_EXPIRED = 2,
    RL_FAULT_COMMAND_CLAMPED = 3,
    RL_FAULT_COMMAND_REJECTED = 4,
    RL_FAULT_NOT_LINKED = 5,
    RL_FAULT_EMERGENCY_STOP = 6,
    RL_FAULT_MALFORMED_FRAME = 7,
    RL_FAULT_OPERATOR_REQUEST = 8,
    RL_FAULT_LINK_LOST = 9
} rl_fault_code;

typedef enum {
    RL_OK = 0,
    RL_ERR_MALFORMED = -1,
    RL_ERR_BAD_CRC = -2,
    RL_ERR_OVERSIZE = -3,
    RL_ERR_VERSION = -4,
    RL_ERR_BUFFER = -5,
    RL_ERR_ARGUMENT = -6
} rl_result;

/* Handshake: the host's request and the robot's response have the same body. */
typedef struct {
    uint16_t protocol_version;
    uint64_t contract_hash;
    uint16_t joint_count;
    uint16_t actuator_count;
    float state_rate_hz;
    float control_rate_hz;
    uint8_t has_imu;
    uint8_t name_length;              /* bytes of robot_name, at most RL_MAX_NAME */
    char robot_name[RL_MAX_NAME + 1]; /* UTF-8, zero-terminated for convenience */
} rl_handshake;

/* Joint positions rad or m, velocities rad/s or m/s, efforts N*m or N; IMU quaternion (w,x,y,z), rad/s, m/s^2. */
typedef struct {
    uint64_t device_time_us;
    uint32_t status_flags;
    uint16_t joint_count;
    uint8_t has_imu;
    /* Intact command frames the robot received (any outcome of the rules), wrapping at 2^32, and the header
     * sequence of the newest: the host compares them with what it wrote to count commands lost on the way. */
    uint32_t commands_received;
    uint32_t last_command_sequence;
    float positions[RL_MAX_JOINTS];
    float velocities[RL_MAX_JOINTS];
    float efforts[RL_MAX_JOINTS];
    float imu_orientation[4];
    float imu_angular_velocity[3];
    float imu_linear_acceleration[3];
} rl_state;

typedef struct {
    uint32_t state_sequence;
    uint8_t mode; /* rl_command_mode */
    uint16_t actuator_count;
    float targets[RL_MAX_ACTUATORS];
} rl_command;

typedef struct {
    uint64_t sender_time_us;
} rl_heartbeat;

typedef struct {
    uint16_t code;   /* rl_fault_code */
    uint16_t detail; /* code-specific, e.g. actuator index; RL_NO_DETAIL when none */
    uint8_t text_length;
    char text[RL_MAX_FAULT_TEXT + 1];
} rl_fault;

typedef struct {
    uint16_t reason; /* rl_fault_code */
} rl_emergency_stop;

typedef struct {
    uint32_t acknowledged_sequence;
    uint8_t acknowledged_type;
    uint16_t result; /* rl_fault_code, RL_FAULT_NONE when accepted */
} rl_acknowledgement;

typedef struct {
    uint8_t type; /* rl_message_type */
    uint32_t sequence;
    union {
        rl_handshake handshake;
        rl_state state;
        rl_command command;
        rl_heartbeat heartbeat;
        rl_fault fault;
        rl_emergency_stop emergency_stop;
        rl_acknowledgement acknowledgement;
    } body;
} rl_message;

/* CRC-32/ISO-HDLC (poly 0x04C11DB7 reflected, init and xorout 0xFFFFFFFF); check value of "123456789" is 0xCBF43926. */
uint32_t rl_crc32(const uint8_t *data, size_t length);

/* COBS-encodes length bytes (no delimiter). src may lie inside dst at an offset of at least 1 + length / 254.
 * Returns the encoded length, or 0 when capacity is too small. */
size_t rl_cobs_encode(const uint8_t *src, size_t length, uint8_t *dst, size_t capacity);

/* Decodes one COBS block (no delimiter); dst may equal src. Returns the decoded length or RL_ERR_MALFORMED / RL_ERR_BUFFER. */
int rl_cobs_decode(const uint8_t *src, size_t length, uint8_t *dst, size_t capacity);

/* Writes a message's payload (header and body). Returns its length or a negative rl_result. */
int rl_encode_payload(const rl_message *message, uint8_t *payload, size_t capacity);

/* Reads a payload (without CRC) into *message. Returns RL_OK or a negative rl_result. */
int rl_decode_payload(const uint8_t *payload, size_t length, rl_message *message);

/* Encodes a complete frame, delimiter included, into frame (capacity RL_FRAME_BUFFER_SIZE is always enough).
 * Returns the frame length or a negative rl_result. */
int rl_encode_frame(const rl_message *message, uint8_t *frame, size_t capacity);

/* Checks one block read up to its delimiter and decodes it in place: on RL_OK the payload (without CRC)
 * is the first *payload_length bytes of block. */
int rl_decode_block(uint8_t *block, size_t length, size_t *payload_length);

/* Byte-at-a-time frame reader for a UART receive path; counts what it had to drop. */
typedef struct {
    uint8_t buffer[RL_MAX_FRAME];
    size_t length;
    uint8_t overflowed;
    uint32_t frames;
    uint32_t bad_crc;
    uint32_t malformed;
    uint32_t oversize;
} rl_frame_reader;

void rl_frame_reader_init(rl_frame_reader *reader);

/* Feeds one received byte. Returns the payload length when it completed a valid frame (the payload is at
 * *payload until the next call), 0 otherwise. */
size_t rl_frame_reader_push(rl_frame_reader *reader, uint8_t byte, const uint8_t **payload);

#ifdef __cplusplus
}
#endif

#endif
