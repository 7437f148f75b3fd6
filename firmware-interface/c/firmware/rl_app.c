/*
 * The firmware application, portable across boards: the host link (handshake, commands, emergency stop,
 * heartbeat), the firmware rules (limits, watchdog, emergency stop) and a state frame to the host for every
 * sensor reading the board delivers. Everything is static: no heap.
 */
#include <string.h>

#include "../rl_firmware.h"
#include "rl_board.h"
#include "rl_ring.h"
#include "rl_robot_config.h"

#define STATE_PAYLOAD(joints, imu) (RL_HEADER_SIZE + 16u + 12u * (joints) + ((imu) ? 40u : 0u))
typedef char robot_fits_the_build[(RL_ROBOT_JOINTS <= RL_MAX_JOINTS && RL_ROBOT_ACTUATORS <= RL_MAX_ACTUATORS
                                      && STATE_PAYLOAD(RL_ROBOT_JOINTS, RL_ROBOT_HAS_IMU) <= RL_MAX_PAYLOAD)
                                     ? 1
                                     : -1];

#define FAULT_REPEAT_US 1000000u

static rl_ring host_input;
static rl_frame_reader reader;
static rl_firmware firmware;
static rl_message received;
static rl_message sending;
static rl_state sensors;
static uint8_t frame[RL_FRAME_BUFFER_SIZE];
static uint32_t sequence;
static uint32_t frames_dropped; /* bad checksum, malformed, oversize, or not decodable */
static uint16_t last_fault_sent;
static uint64_t last_fault_us;

void rl_app_receive_byte(uint8_t byte)
{
    rl_ring_push(&host_input, byte);
}

int rl_app_has_work(void)
{
    return !rl_ring_empty(&host_input);
}

static void send(void)
{
    int length;
    sending.sequence = sequence++;
    length = rl_encode_frame(&sending, frame, sizeof frame);
    if (length > 0)
        rl_board_uart_write(frame, (size_t)length);
}

static void send_fault(uint16_t code, uint16_t detail)
{
    static const char *const texts[] = {
        "", "protocol version mismatch", "watchdog expired: actuators in the safe state", "command clamped to the firmware limits",
        "command rejected", "command before handshake", "emergency stop latched until the next handshake", "malformed frame",
    };
    const char *text = code < sizeof texts / sizeof texts[0] ? texts[code] : "fault";
    size_t length = strlen(text);
    memset(&sending, 0, sizeof sending);
    sending.type = RL_MSG_FAULT;
    sending.body.fault.code = code;
    sending.body.fault.detail = detail;
    sending.body.fault.text_length = (uint8_t)length;
    memcpy(sending.body.fault.text, text, length + 1u);
    send();
}

/* Faults go out when they change, and again at most once a second while they persist. */
static void report(rl_rule_report rule, uint64_t now_us)
{
    if (rule.code == RL_FAULT_NONE)
        return;
    if (rule.code == last_fault_sent && now_us - last_fault_us < FAULT_REPEAT_US)
        return;
    last_fault_sent = rule.code;
    last_fault_us = now_us;
    send_fault(rule.code, rule.detail);
}

/* Every frame dropped on the way in is reported at once, its detail the running count (saturating), so the
 * host can count what the firmware lost. Input is at most a few frames a second of garbage at 1% loss. */
static void report_dropped(void)
{
    send_fault(RL_FAULT_MALFORMED_FRAME, (uint16_t)(frames_dropped < 0xFFFEu ? frames_dropped : 0xFFFEu));
}

static void acknowledge(uint32_t acknowledged, uint8_t type)
{
    memset(&sending, 0, sizeof sending);
    sending.type = RL_MSG_ACKNOWLEDGEMENT;
    sending.body.acknowledgement.acknowledged_sequence = acknowledged;
    sending.body.acknowledgement.acknowledged_type = type;
    send();
}

static void answer_handshake(uint64_t now_us)
{
    rl_handshake *h = &sending.body.handshake;
    if (received.body.handshake.protocol_version != RL_PROTOCOL_VERSION) {
        send_fault(RL_FAULT_PROTOCOL_VERSION_MISMATCH, received.body.handshake.protocol_version);
        return;
    }
    rl_firmware_on_handshake(&firmware, now_us);
    rl_board_apply_targets(firmware.targets, firmware.config.actuator_count);
    last_fault_sent = RL_FAULT_NONE;
    memset(&sending, 0, sizeof sending);
    sending.type = RL_MSG_HANDSHAKE_RESPONSE;
    h->protocol_version = RL_PROTOCOL_VERSION;
    h->contract_hash = RL_ROBOT_CONTRACT_HASH;
    h->joint_count = RL_ROBOT_JOINTS;
    h->actuator_count = RL_ROBOT_ACTUATORS;
    h->state_rate_hz = RL_ROBOT_STATE_RATE_HZ;
    h->control_rate_hz = RL_ROBOT_CONTROL_RATE_HZ;
    h->has_imu = RL_ROBOT_HAS_IMU;
    h->name_length = (uint8_t)(sizeof RL_ROBOT_NAME - 1u);
    memcpy(h->robot_name, RL_ROBOT_NAME, sizeof RL_ROBOT_NAME);
    send();
}

static void handle(const uint8_t *payload, size_t length, uint64_t now_us)
{
    int result = rl_decode_payload(payload, length, &received);
    if (result == RL_ERR_VERSION) {
        send_fault(RL_FAULT_PROTOCOL_VERSION_MISMATCH, payload[0]);
        return;
    }
    if (result != RL_OK) {
        frames_dropped++;
        report_dropped();
        return;
    }
    switch (received.type) {
    case RL_MSG_HANDSHAKE_REQUEST:
        answer_handshake(now_us);
        break;
    case RL_MSG_COMMAND:
        report(rl_firmware_on_command(&firmware, &received.body.command, received.sequence, now_us), now_us);
        rl_board_apply_targets(firmware.targets, firmware.config.actuator_count);
        break;
    case RL_MSG_EMERGENCY_STOP:
        rl_firmware_on_emergency_stop(&firmware);
        rl_board_apply_targets(firmware.targets, firmware.config.actuator_count);
        acknowledge(received.sequence, RL_MSG_EMERGENCY_STOP);
        break;
    case RL_MSG_HEARTBEAT:
        acknowledge(received.sequence, RL_MSG_HEARTBEAT);
        break;
    default:
        break;
    }
}

static void send_state(uint64_t now_us)
{
    if (!(firmware.status_flags & RL_STATUS_LINKED))
        return;
    sensors.device_time_us = now_us;
    rl_firmware_fill_state(&firmware, &sensors);
    sensors.joint_count = RL_ROBOT_JOINTS;
    sensors.has_imu = RL_ROBOT_HAS_IMU;
    memset(&sending, 0, sizeof sending);
    sending.type = RL_MSG_STATE;
    sending.body.state = sensors;
    send();
}

static void run_watchdog(uint64_t now_us)
{
    rl_rule_report rule = rl_firmware_tick(&firmware, now_us);
    if (rule.code != RL_FAULT_NONE)
        rl_board_apply_targets(firmware.targets, firmware.config.actuator_count);
    report(rule, now_us);
}

static void setup(void)
{
    static const float command_min[] = RL_ROBOT_COMMAND_MIN;
    static const float command_max[] = RL_ROBOT_COMMAND_MAX;
    static const float safe_target[] = RL_ROBOT_SAFE_TARGET;
    static rl_firmware_config config;
    config.actuator_count = RL_ROBOT_ACTUATORS;
    memcpy(config.command_min, command_min, sizeof command_min);
    memcpy(config.command_max, command_max, sizeof command_max);
    memcpy(config.safe_target, safe_target, sizeof safe_target);
    config.watchdog_timeout_us = RL_ROBOT_WATCHDOG_US;
    rl_firmware_init(&firmware, &config);
    rl_frame_reader_init(&reader);
    rl_board_apply_targets(firmware.targets, firmware.config.actuator_count);
}

int main(void)
{
    rl_board_init();
    setup();
    for (;;) {
        uint8_t byte;
        while (rl_ring_pop(&host_input, &byte)) {
            const uint8_t *payload;
            uint32_t refused = reader.bad_crc + reader.malformed + reader.oversize;
            size_t length = rl_frame_reader_push(&reader, byte, &payload);
            if (length > 0) {
                handle(payload, length, rl_board_micros());
            } else if (reader.bad_crc + reader.malformed + reader.oversize != refused) {
                frames_dropped++;
                report_dropped();
            }
        }
        run_watchdog(rl_board_micros());
        if (rl_board_read_sensors(&sensors)) {
            send_state(rl_board_micros());
            /* Every control tick refreshes the actuators' setpoints, as motor drivers with a watchdog of their own expect. */
            rl_board_apply_targets(firmware.targets, firmware.config.actuator_count);
        }
        rl_board_idle();
    }
}
