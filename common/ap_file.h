/* Reading a whole file with a size cap, or mapping it read-only. */
#ifndef AP_FILE_H
#define AP_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reads path into a malloc'd buffer (*out, free() it). AP_ERR_IO when it cannot be read,
 * AP_ERR_LIMIT when it is larger than max bytes. */
int ap_read_file(const char *path, size_t max, uint8_t **out, size_t *len);

/* The same bytes as ap_read_file, mapped read-only and private when the file can be mapped
 * (*mapped true: release with ap_unmap_file) or else read into a malloc'd buffer (*mapped false:
 * free() it). A mapping's pages are the page cache's, so ap_file_drop can hand them back and
 * they are read again from the file on the next access: a big APK then costs memory only for
 * the entry being read. The file must not shrink while it is mapped (a read past its new end
 * raises SIGBUS, as with any mapped input; the CLI turns it into a message and exit code 3,
 * analyzer/main.c). */
int ap_map_file(const char *path, size_t max, const uint8_t **out, size_t *len, bool *mapped);
void ap_unmap_file(const uint8_t *p, size_t len, bool mapped);
/* Drops the resident pages that lie wholly inside [off, off + n) of a mapping of len bytes
 * (ap_map_file with *mapped true); nothing otherwise. The bytes stay readable. */
void ap_file_drop(const uint8_t *p, size_t len, bool mapped, size_t off, size_t n);

#endif
