/* Reader of firmware-interface/golden/vectors.txt for the host tests (uses stdio; not part of the firmware library). */
#ifndef GOLDEN_H
#define GOLDEN_H

#include "../rl_protocol.h"

#define GOLDEN_MAX_VECTORS 32

typedef struct {
    char name[64];
    rl_message message;
    uint8_t frame[RL_MAX_FRAME];
    size_t frame_length;
} golden_vector;

/* Loads up to capacity vectors; returns how many, or -1 when the file cannot be read or is malformed. */
int golden_load(const char *path, golden_vector *vectors, int capacity);

/* Field-by-field equality of two messages of the same type (floats compared exactly). */
int golden_message_equal(const rl_message *a, const rl_message *b);

#endif
