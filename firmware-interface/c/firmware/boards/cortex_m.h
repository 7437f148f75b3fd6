/* Cortex-M core pieces shared by the reference boards: registers, the SysTick time base, interrupts, sleep. */
#ifndef CORTEX_M_H
#define CORTEX_M_H

#include <stdint.h>

#define RL_REG32(address) (*(volatile uint32_t *)(address))

typedef void (*rl_vector)(void);

/* Start-up: copies .data, zeroes .bss, enables the FPU where there is one, calls main. */
void cortex_m_reset(void);

/* Any exception without a handler: stops here, where a debugger shows it. */
void cortex_m_unexpected(void);

/* SysTick interrupt handler: counts the counter's wraps. */
void cortex_m_systick(void);

/* SysTick from the core clock as a free-running counter: the time base. */
void cortex_m_time_start(uint32_t core_hz);

/* Microseconds from SysTick's wraps and its counter. */
uint64_t cortex_m_micros(void);

void cortex_m_enable_irq(unsigned irq);

/* Sleeps in WFI unless work() says there is something to do; an interrupt in between still wakes it. */
void cortex_m_idle(int (*work)(void));

#endif
