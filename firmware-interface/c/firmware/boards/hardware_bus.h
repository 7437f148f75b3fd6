/*
 * The reference boards' actuators and sensors: a second UART to a "hardware bus" on which the robot's motor
 * drivers and encoders answer (under QEMU, a MuJoCo plant on the host). Same framing and checksums as the host
 * link: actuator targets go out as COMMAND frames, joint sensor readings come back as STATE frames.
 */
#ifndef HARDWARE_BUS_H
#define HARDWARE_BUS_H

#include <stddef.h>
#include <stdint.h>

#include "../../rl_protocol.h"

/* The bus UART's receive interrupt calls this for every byte. */
void hardware_bus_receive_byte(uint8_t byte);

int hardware_bus_has_input(void);

/* Sends the targets as a COMMAND frame through write. */
void hardware_bus_send_targets(const float *targets, uint16_t count, void (*write)(const uint8_t *data, size_t length));

/* Handles received bytes; returns 1 when a sensor reading (STATE frame) was complete, copied into *state. */
int hardware_bus_read_sensors(rl_state *state);

/*
 * A board with a hardware bus defines this: writes bytes to the bus UART. hardware_bus.c then implements the
 * board interface's rl_board_apply_targets, rl_board_read_sensors and rl_board_idle for it (cortex_m.c implements
 * rl_board_micros), so a board file holds only its UARTs, its clocks and its vector table.
 */
void hardware_bus_write(const uint8_t *data, size_t length);

#endif
