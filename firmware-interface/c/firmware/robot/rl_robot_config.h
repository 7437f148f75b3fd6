/*
 * The robot this firmware image is built for. An example (the cartpole: 2 joints, 1 actuator at 100 Hz);
 * `robotics emulate --firmware TARGET --robot ROBOT` generates this file from the robot's contract, and a
 * port writes its own (docs/firmware.md). The host refuses a robot whose contract hash differs from its policy's.
 */
#ifndef RL_ROBOT_CONFIG_H
#define RL_ROBOT_CONFIG_H

#define RL_ROBOT_NAME "cartpole"
#define RL_ROBOT_CONTRACT_HASH 0x0000000000000000ull
#define RL_ROBOT_JOINTS 2u
#define RL_ROBOT_ACTUATORS 1u
#define RL_ROBOT_STATE_RATE_HZ 100.0f
#define RL_ROBOT_CONTROL_RATE_HZ 100.0f
#define RL_ROBOT_HAS_IMU 0u
#define RL_ROBOT_WATCHDOG_US 25000u
#define RL_ROBOT_COMMAND_MIN {-1.0f}
#define RL_ROBOT_COMMAND_MAX {1.0f}
#define RL_ROBOT_SAFE_TARGET {0.0f}

#endif
