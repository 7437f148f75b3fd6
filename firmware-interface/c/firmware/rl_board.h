/*
 * What a board provides to the firmware application (rl_app.c). Porting the firmware to a new board means
 * implementing these functions and a vector table that routes the host UART's receive interrupt to a
 * handler calling rl_app_receive_byte (docs/firmware.md). boards/ holds the two reference implementations.
 */
#ifndef RL_BOARD_H
#define RL_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "../rl_protocol.h"

/* Clocks, the host UART with its receive interrupt, the time base, actuators and sensors. Called once, first. */
void rl_board_init(void);

/* Sends bytes to the host; returns when they are queued or sent. */
void rl_board_uart_write(const uint8_t *data, size_t length);

/* Monotonic microseconds since start; wraps only after 584 000 years. */
uint64_t rl_board_micros(void);

/* Drives the actuators to these targets (contract units: N, N*m, rad, rad/s, as the robot's contract says). */
void rl_board_apply_targets(const float *targets, uint16_t count);

/*
 * Fills state->joint_count, positions, velocities, efforts (and the IMU fields with has_imu) and returns 1
 * when a new sensor reading is available, 0 otherwise. A new reading is the firmware's control tick: the
 * board decides the sampling rate (the robot's state rate).
 */
int rl_board_read_sensors(rl_state *state);

/* Sleeps until the next interrupt unless rl_app_has_work() says input is waiting. An interrupt between the
 * check and the sleep must still wake it (Cortex-M: CPSID I, check, WFI, CPSIE I). */
void rl_board_idle(void);

/* Provided by the application. The host UART's receive interrupt calls this for every byte received. */
void rl_app_receive_byte(uint8_t byte);

/* Provided by the application: whether received bytes wait to be handled. */
int rl_app_has_work(void);

#endif
