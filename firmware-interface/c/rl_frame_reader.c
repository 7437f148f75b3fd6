#include "rl_protocol.h"

void rl_frame_reader_init(rl_frame_reader *reader)
{
    reader->length = 0;
    reader->overflowed = 0;
    reader->frames = 0;
    reader->bad_crc = 0;
    reader->malformed = 0;
    reader->oversize = 0;
}

size_t rl_frame_reader_push(rl_frame_reader *reader, uint8_t byte, const uint8_t **payload)
{
    size_t length;
    size_t payload_length = 0;
    int result;
    if (byte != 0) {
        if (reader->length < sizeof reader->buffer)
            reader->buffer[reader->length++] = byte;
        else
            reader->overflowed = 1;
        return 0;
    }

    length = reader->length;
    reader->length = 0;
    if (reader->overflowed) {
        reader->overflowed = 0;
        reader->oversize++;
        return 0;
    }
    if (length == 0) /* idle fill between frames */
        return 0;

    result = rl_decode_block(reader->buffer, length, &payload_length);
    if (result == RL_OK) {
        reader->frames++;
        *payload = reader->buffer;
        return payload_length;
    }
    if (result == RL_ERR_BAD_CRC)
        reader->bad_crc++;
    else if (result == RL_ERR_OVERSIZE)
        reader->oversize++;
    else
        reader->malformed++;
    return 0;
}
