/*
 * Reference board: Texas Instruments LM3S6965 evaluation board (Cortex-M3), as QEMU emulates it. Host link on
 * UART0 (PL011 at 0x4000C000, IRQ 5), hardware bus on UART1 (0x4000D000, IRQ 6), SysTick time base.
 */
#include "../rl_board.h"
#include "cortex_m.h"
#include "hardware_bus.h"

#define CORE_HZ 12500000u /* the reset clock QEMU models (200 MHz PLL / 16); a real board would set up the PLL first */
#define UART0 0x4000C000u
#define UART1 0x4000D000u
#define UART_DR(base) RL_REG32((base) + 0x000u)
#define UART_FR(base) RL_REG32((base) + 0x018u)
#define UART_IBRD(base) RL_REG32((base) + 0x024u)
#define UART_FBRD(base) RL_REG32((base) + 0x028u)
#define UART_LCRH(base) RL_REG32((base) + 0x02Cu)
#define UART_CR(base) RL_REG32((base) + 0x030u)
#define UART_IMSC(base) RL_REG32((base) + 0x038u)
#define UART_ICR(base) RL_REG32((base) + 0x044u)
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define INT_RX_AND_TIMEOUT ((1u << 4) | (1u << 6))
#define SYSCTL_RCGC1 RL_REG32(0x400FE104u)
#define IRQ_UART0 5u
#define IRQ_UART1 6u

static void uart_start(uint32_t base)
{
    UART_CR(base) = 0;
    UART_IBRD(base) = 3u; /* 921600 baud from a 50 MHz clock; QEMU ignores the divisor */
    UART_FBRD(base) = 25u;
    UART_LCRH(base) = (3u << 5) | (1u << 4); /* 8 data bits, FIFOs on */
    UART_IMSC(base) = INT_RX_AND_TIMEOUT;
    UART_CR(base) = (1u << 0) | (1u << 8) | (1u << 9); /* enabled, transmit, receive */
}

static void uart_write(uint32_t base, const uint8_t *data, size_t length)
{
    size_t i;
    for (i = 0; i < length; i++) {
        while (UART_FR(base) & FR_TXFF) {
        }
        UART_DR(base) = data[i];
    }
}

static void uart0_interrupt(void)
{
    while (!(UART_FR(UART0) & FR_RXFE))
        rl_app_receive_byte((uint8_t)UART_DR(UART0));
    UART_ICR(UART0) = INT_RX_AND_TIMEOUT;
}

static void uart1_interrupt(void)
{
    while (!(UART_FR(UART1) & FR_RXFE))
        hardware_bus_receive_byte((uint8_t)UART_DR(UART1));
    UART_ICR(UART1) = INT_RX_AND_TIMEOUT;
}

void hardware_bus_write(const uint8_t *data, size_t length)
{
    uart_write(UART1, data, length);
}

void rl_board_init(void)
{
    SYSCTL_RCGC1 |= (1u << 0) | (1u << 1); /* clock UART0 and UART1 */
    uart_start(UART0);
    uart_start(UART1);
    cortex_m_enable_irq(IRQ_UART0);
    cortex_m_enable_irq(IRQ_UART1);
    cortex_m_time_start(CORE_HZ);
}

void rl_board_uart_write(const uint8_t *data, size_t length)
{
    uart_write(UART0, data, length);
}

extern uint32_t _stack_top[];

__attribute__((section(".vectors"), used)) static const rl_vector vectors[16 + 7] = {
    [0] = (rl_vector)(uintptr_t)_stack_top,
    [1] = cortex_m_reset,
    [2] = cortex_m_unexpected, /* NMI */
    [3] = cortex_m_unexpected, /* hard fault */
    [4] = cortex_m_unexpected, /* memory management */
    [5] = cortex_m_unexpected, /* bus fault */
    [6] = cortex_m_unexpected, /* usage fault */
    [11] = cortex_m_unexpected, /* SVCall */
    [14] = cortex_m_unexpected, /* PendSV */
    [15] = cortex_m_systick,
    [16 + IRQ_UART0] = uart0_interrupt,
    [16 + IRQ_UART1] = uart1_interrupt,
};
