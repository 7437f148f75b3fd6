/*
 * The C library as firmware on the host: a pseudo-terminal stands in for the UART. Prints the slave's
 * path, then answers handshakes, applies commands under the firmware rules and sends a state every
 * 10 ms whose first joint position is the first actuator's applied target. Used by the C# tests to
 * check that the two implementations talk, beyond the golden vectors.
 *
 * Usage: pty_firmware CONTRACT_HASH_HEX [SECONDS]
 * POSIX (posix_openpt, poll, clock_gettime); the library itself needs none of it.
 */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../rl_firmware.h"
#include "../rl_protocol.h"

static int master_fd;
static uint32_t sequence;
static uint8_t frame[RL_FRAME_BUFFER_SIZE];

static uint64_t now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

static void send_message(rl_message *message)
{
    int length;
    message->sequence = sequence++;
    length = rl_encode_frame(message, frame, sizeof frame);
    if (length > 0 && write(master_fd, frame, (size_t)length) < 0) {
        /* Nobody reading yet: the frame is lost, as on a UART. */
    }
}

static void send_fault(rl_rule_report report)
{
    static rl_message message;
    if (report.code == RL_FAULT_NONE)
        return;
    memset(&message, 0, sizeof message);
    message.type = RL_MSG_FAULT;
    message.body.fault.code = report.code;
    message.body.fault.detail = report.detail;
    message.body.fault.text_length = (uint8_t)snprintf(message.body.fault.text, sizeof message.body.fault.text, "c firmware fault %u", report.code);
    send_message(&message);
}

int main(int argc, char **argv)
{
    static rl_frame_reader reader;
    static rl_firmware firmware;
    static rl_message message;
    rl_firmware_config config;
    struct termios raw;
    uint64_t contract_hash;
    uint64_t start, next_state;
    double seconds;
    char *slave;

    if (argc < 2) {
        fprintf(stderr, "usage: %s CONTRACT_HASH_HEX [SECONDS]\n", argv[0]);
        return 2;
    }
    contract_hash = strtoull(argv[1], 0, 16);
    seconds = argc > 2 ? atof(argv[2]) : 30.0;

    master_fd = posix_openpt(O_RDWR | O_NOCTTY);
    if (master_fd < 0 || grantpt(master_fd) != 0 || unlockpt(master_fd) != 0 || (slave = ptsname(master_fd)) == 0) {
        perror("pseudo-terminal");
        return 1;
    }
    tcgetattr(master_fd, &raw);
    cfmakeraw(&raw);
    tcsetattr(master_fd, TCSANOW, &raw);
    fcntl(master_fd, F_SETFL, fcntl(master_fd, F_GETFL) | O_NONBLOCK);
    printf("%s\n", slave);
    fflush(stdout);

    memset(&config, 0, sizeof config);
    config.actuator_count = 1;
    config.command_min[0] = -10.0f;
    config.command_max[0] = 10.0f;
    config.watchdog_timeout_us = 500000;
    rl_firmware_init(&firmware, &config);
    rl_frame_reader_init(&reader);

    start = now_us();
    next_state = start;
    while (now_us() - start < (uint64_t)(seconds * 1e6)) {
        struct pollfd p;
        uint8_t bytes[256];
        ssize_t count;
        ssize_t i;
        p.fd = master_fd;
        p.events = POLLIN;
        p.revents = 0;
        poll(&p, 1, 1);
        count = read(master_fd, bytes, sizeof bytes);
        for (i = 0; i < count; i++) {
            const uint8_t *payload;
            size_t length = rl_frame_reader_push(&reader, bytes[i], &payload);
            if (length == 0 || rl_decode_payload(payload, length, &message) != RL_OK)
                continue;
            if (message.type == RL_MSG_HANDSHAKE_REQUEST) {
                rl_firmware_on_handshake(&firmware, now_us());
                memset(&message, 0, sizeof message);
                message.type = RL_MSG_HANDSHAKE_RESPONSE;
                message.body.handshake.protocol_version = RL_PROTOCOL_VERSION;
                message.body.handshake.contract_hash = contract_hash;
                message.body.handshake.joint_count = 2;
                message.body.handshake.actuator_count = 1;
                message.body.handshake.state_rate_hz = 100.0f;
                message.body.handshake.control_rate_hz = 100.0f;
                strcpy(message.body.handshake.robot_name, "c-firmware");
                message.body.handshake.name_length = (uint8_t)strlen("c-firmware");
                send_message(&message);
            } else if (message.type == RL_MSG_COMMAND) {
                send_fault(rl_firmware_on_command(&firmware, &message.body.command, message.sequence, now_us()));
            } else if (message.type == RL_MSG_EMERGENCY_STOP) {
                uint32_t acknowledged = message.sequence;
                rl_firmware_on_emergency_stop(&firmware);
                memset(&message, 0, sizeof message);
                message.type = RL_MSG_ACKNOWLEDGEMENT;
                message.body.acknowledgement.acknowledged_sequence = acknowledged;
                message.body.acknowledgement.acknowledged_type = RL_MSG_EMERGENCY_STOP;
                send_message(&message);
            }
        }

        if (now_us() >= next_state) {
            next_state += 10000;
            send_fault(rl_firmware_tick(&firmware, now_us()));
            if (firmware.status_flags & RL_STATUS_LINKED) {
                memset(&message, 0, sizeof message);
                message.type = RL_MSG_STATE;
                message.body.state.device_time_us = now_us() - start;
                rl_firmware_fill_state(&firmware, &message.body.state);
                message.body.state.joint_count = 2;
                message.body.state.positions[0] = firmware.targets[0];
                message.body.state.positions[1] = -firmware.targets[0];
                send_message(&message);
            }
        }
    }
    close(master_fd);
    return 0;
}
