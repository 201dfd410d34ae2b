/* Reading a whole file with a size cap. */
#ifndef AP_FILE_H
#define AP_FILE_H

#include <stddef.h>
#include <stdint.h>

/* Reads path into a malloc'd buffer (*out, free() it). AP_ERR_IO when it cannot be read,
 * AP_ERR_LIMIT when it is larger than max bytes. */
int ap_read_file(const char *path, size_t max, uint8_t **out, size_t *len);

#endif
