/* Consistent Overhead Byte Stuffing (Cheshire and Baker, 1999), canonical form: a full block of 254
 * bytes that ends the input gets no trailing code byte. */
#include "rl_protocol.h"

size_t rl_cobs_encode(const uint8_t *src, size_t length, uint8_t *dst, size_t capacity)
{
    size_t code_index = 0;
    size_t write = 1;
    size_t i;
    uint8_t code = 1;
    if (capacity < length + (length + 253u) / 254u + (length == 0 ? 1u : 0u))
        return 0;
    for (i = 0; i < length; i++) {
        uint8_t value = src[i]; /* read before any write that may overlap it */
        if (value != 0) {
            dst[write++] = value;
            code++;
        }
        if (value == 0 || code == 0xFF) {
            dst[code_index] = code;
            code = 1;
            if (value != 0 && i == length - 1)
                return write;
            code_index = write++;
        }
    }
    dst[code_index] = code;
    return write;
}

int rl_cobs_decode(const uint8_t *src, size_t length, uint8_t *dst, size_t capacity)
{
    size_t read = 0;
    size_t write = 0;
    while (read < length) {
        size_t code = src[read++];
        size_t end;
        if (code == 0)
            return RL_ERR_MALFORMED;
        end = read + code - 1;
        if (end > length)
            return RL_ERR_MALFORMED;
        if (write + (code - 1) > capacity)
            return RL_ERR_BUFFER;
        while (read < end) {
            if (src[read] == 0)
                return RL_ERR_MALFORMED;
            dst[write++] = src[read++];
        }
        if (code != 0xFF && read < length) {
            if (write >= capacity)
                return RL_ERR_BUFFER;
            dst[write++] = 0;
        }
    }
    return (int)write;
}
