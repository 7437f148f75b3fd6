/* A byte ring between one interrupt handler (the producer) and the main loop (the consumer); no locks,
 * no heap. A full ring drops the new byte and counts it: the frame it belonged to then fails its CRC. */
#ifndef RL_RING_H
#define RL_RING_H

#include <stdint.h>

#define RL_RING_SIZE 256u /* a power of two; 2.7 ms of input at 921600 baud */

typedef struct {
    uint8_t bytes[RL_RING_SIZE];
    volatile uint32_t head; /* written by the producer only */
    volatile uint32_t tail; /* written by the consumer only */
    volatile uint32_t dropped;
} rl_ring;

static inline void rl_ring_push(rl_ring *ring, uint8_t byte)
{
    uint32_t head = ring->head;
    if (head - ring->tail >= RL_RING_SIZE) {
        ring->dropped++;
        return;
    }
    ring->bytes[head % RL_RING_SIZE] = byte;
    ring->head = head + 1u;
}

static inline int rl_ring_pop(rl_ring *ring, uint8_t *byte)
{
    uint32_t tail = ring->tail;
    if (tail == ring->head)
        return 0;
    *byte = ring->bytes[tail % RL_RING_SIZE];
    ring->tail = tail + 1u;
    return 1;
}

static inline int rl_ring_empty(const rl_ring *ring)
{
    return ring->tail == ring->head;
}

#endif
