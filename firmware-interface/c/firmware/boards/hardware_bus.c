#include "hardware_bus.h"

#include <string.h>

#include "../rl_board.h"
#include "../rl_ring.h"
#include "cortex_m.h"

static rl_ring input;
static rl_frame_reader reader;
static rl_message message;
static uint8_t frame[RL_FRAME_BUFFER_SIZE];
static uint32_t sequence;

void hardware_bus_receive_byte(uint8_t byte)
{
    rl_ring_push(&input, byte);
}

int hardware_bus_has_input(void)
{
    return !rl_ring_empty(&input);
}

void hardware_bus_send_targets(const float *targets, uint16_t count, void (*write)(const uint8_t *data, size_t length))
{
    int length;
    memset(&message, 0, sizeof message);
    message.type = RL_MSG_COMMAND;
    message.sequence = sequence++;
    message.body.command.mode = RL_MODE_ACTIVE;
    message.body.command.actuator_count = count;
    memcpy(message.body.command.targets, targets, count * sizeof targets[0]);
    length = rl_encode_frame(&message, frame, sizeof frame);
    if (length > 0)
        write(frame, (size_t)length);
}

int hardware_bus_read_sensors(rl_state *state)
{
    uint8_t byte;
    while (rl_ring_pop(&input, &byte)) {
        const uint8_t *payload;
        size_t length = rl_frame_reader_push(&reader, byte, &payload);
        if (length > 0 && rl_decode_payload(payload, length, &message) == RL_OK && message.type == RL_MSG_STATE) {
            *state = message.body.state;
            return 1;
        }
    }
    return 0;
}

/* The board interface (rl_board.h) for a board whose actuators and sensors are on the hardware bus. */
void rl_board_apply_targets(const float *targets, uint16_t count)
{
    hardware_bus_send_targets(targets, count, hardware_bus_write);
}

int rl_board_read_sensors(rl_state *state)
{
    return hardware_bus_read_sensors(state);
}

static int work_waiting(void)
{
    return rl_app_has_work() || hardware_bus_has_input();
}

void rl_board_idle(void)
{
    cortex_m_idle(work_waiting);
}
