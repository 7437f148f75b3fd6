#include "cortex_m.h"

#include <string.h>

#include "../rl_board.h"

#define SYST_CSR RL_REG32(0xE000E010u)
#define SYST_RVR RL_REG32(0xE000E014u)
#define SYST_CVR RL_REG32(0xE000E018u)
#define SCB_ICSR RL_REG32(0xE000ED04u)
#define SCB_CPACR RL_REG32(0xE000ED88u)
#define ICSR_PENDSTSET (1u << 26)
#define NVIC_ISER(n) RL_REG32(0xE000E100u + 4u * (n))

extern uint8_t _data_load[], _data_start[], _data_end[], _bss_start[], _bss_end[];
int main(void);

#define SYSTICK_SPAN (1u << 24) /* the counter's 24 bits: a wrap every 1.3 s at 12.5 MHz, 0.1 s at 168 MHz */

static volatile uint64_t wraps;
static uint32_t core_hz;

void cortex_m_reset(void)
{
    memcpy(_data_start, _data_load, (size_t)(_data_end - _data_start));
    memset(_bss_start, 0, (size_t)(_bss_end - _bss_start));
#if defined(__ARM_FP)
    SCB_CPACR |= 0xFu << 20; /* CP10 and CP11: the FPU, before the first float instruction */
    __asm volatile("dsb\n\tisb" ::: "memory");
#endif
    main();
    for (;;)
        __asm volatile("wfi");
}

void cortex_m_unexpected(void)
{
    for (;;)
        __asm volatile("wfi");
}

void cortex_m_systick(void)
{
    wraps = wraps + 1u;
}

/* SysTick runs over its whole span, so that the clock is the counter itself: QEMU loses time at every late
 * SysTick interrupt (counting 1 kHz interrupts ran 0.82-0.93x host time here), and so a rare wrap keeps it true. */
void cortex_m_time_start(uint32_t hz)
{
    core_hz = hz;
    SYST_RVR = SYSTICK_SPAN - 1u;
    SYST_CVR = 0;
    SYST_CSR = 7u; /* core clock, interrupt, enabled */
}

static uint32_t interrupts_off(void)
{
    uint32_t primask;
    __asm volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
    return primask;
}

static void interrupts_restore(uint32_t primask)
{
    __asm volatile("msr primask, %0" ::"r"(primask) : "memory");
}

uint64_t cortex_m_micros(void)
{
    uint32_t primask = interrupts_off();
    uint64_t spans = wraps;
    uint32_t counter = SYST_CVR;
    uint64_t cycles;
    /* Wrapped but not yet counted: the counter reloaded after or before the read; read it again after the wrap. */
    if (SCB_ICSR & ICSR_PENDSTSET) {
        spans++;
        counter = SYST_CVR;
    }
    interrupts_restore(primask);
    cycles = spans * SYSTICK_SPAN + (SYSTICK_SPAN - 1u - counter);
    return cycles / core_hz * 1000000u + cycles % core_hz * 1000000u / core_hz;
}

void cortex_m_enable_irq(unsigned irq)
{
    NVIC_ISER(irq / 32u) = 1u << (irq % 32u);
}

void cortex_m_idle(int (*work)(void))
{
    __asm volatile("cpsid i" ::: "memory");
    if (!work())
        __asm volatile("wfi" ::: "memory");
    __asm volatile("cpsie i" ::: "memory");
}

/* The board interface's clock: every reference board counts time with cortex_m_time_start's time base. */
uint64_t rl_board_micros(void)
{
    return cortex_m_micros();
}
