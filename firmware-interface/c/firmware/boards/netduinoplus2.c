/*
 * Reference board: Netduino Plus 2 (STM32F405, Cortex-M4F), as QEMU emulates it. Host link on USART1
 * (0x40011000, IRQ 37), hardware bus on USART2 (0x40004400, IRQ 38), SysTick time base.
 */
#include "../rl_board.h"
#include "cortex_m.h"
#include "hardware_bus.h"

#define CORE_HZ 168000000u /* the system clock QEMU models; a real board sets up the PLL to it first */
#define USART1 0x40011000u
#define USART2 0x40004400u
#define USART_SR(base) RL_REG32((base) + 0x00u)
#define USART_DR(base) RL_REG32((base) + 0x04u)
#define USART_BRR(base) RL_REG32((base) + 0x08u)
#define USART_CR1(base) RL_REG32((base) + 0x0Cu)
#define SR_RXNE (1u << 5)
#define SR_TXE (1u << 7)
#define CR1_ENABLED_RX_INTERRUPT ((1u << 13) | (1u << 5) | (1u << 3) | (1u << 2)) /* UE, RXNEIE, TE, RE */
#define RCC_APB1ENR RL_REG32(0x40023840u)
#define RCC_APB2ENR RL_REG32(0x40023844u)
#define IRQ_USART1 37u
#define IRQ_USART2 38u

static void usart_start(uint32_t base, uint32_t brr)
{
    USART_BRR(base) = brr; /* QEMU ignores the divisor */
    USART_CR1(base) = CR1_ENABLED_RX_INTERRUPT;
}

static void usart_write(uint32_t base, const uint8_t *data, size_t length)
{
    size_t i;
    for (i = 0; i < length; i++) {
        while (!(USART_SR(base) & SR_TXE)) {
        }
        USART_DR(base) = data[i];
    }
}

static void usart1_interrupt(void)
{
    while (USART_SR(USART1) & SR_RXNE)
        rl_app_receive_byte((uint8_t)USART_DR(USART1));
}

static void usart2_interrupt(void)
{
    while (USART_SR(USART2) & SR_RXNE)
        hardware_bus_receive_byte((uint8_t)USART_DR(USART2));
}

void hardware_bus_write(const uint8_t *data, size_t length)
{
    usart_write(USART2, data, length);
}

void rl_board_init(void)
{
    RCC_APB2ENR |= 1u << 4;  /* USART1 */
    RCC_APB1ENR |= 1u << 17; /* USART2 */
    usart_start(USART1, 0x5Bu); /* 921600 baud from APB2 at 84 MHz */
    usart_start(USART2, 0x2Eu); /* 921600 baud from APB1 at 42 MHz */
    cortex_m_enable_irq(IRQ_USART1);
    cortex_m_enable_irq(IRQ_USART2);
    cortex_m_time_start(CORE_HZ);
}

void rl_board_uart_write(const uint8_t *data, size_t length)
{
    usart_write(USART1, data, length);
}

extern uint32_t _stack_top[];

__attribute__((section(".vectors"), used)) static const rl_vector vectors[16 + 39] = {
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
    [16 + IRQ_USART1] = usart1_interrupt,
    [16 + IRQ_USART2] = usart2_interrupt,
};
