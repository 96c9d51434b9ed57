/* The reference for `make bench`'s whole-process load comparison: a program that does
 * nothing but read a file and build its document with libyaml's yaml_parser_load, the
 * least any YAML-reading tool must do. mktopo validate, which also checks and summarises
 * the topology, is measured against it as whole processes, side by side.
 *
 * Built by mktopo-bench with the system C compiler: cc -O2 libyaml-load.c -lyaml.
 * Exit status 0 when the file held a document, 1 when it did not, 2 when unreadable. */
#include <stdio.h>
#include <stdlib.h>
#include <yaml.h>

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  FILE *file = fopen(argv[1], "rb");
  if (!file) return 2;
  if (fseek(file, 0, SEEK_END) != 0) return 2;
  long size = ftell(file);
  if (size < 0 || fseek(file, 0, SEEK_SET) != 0) return 2;
  unsigned char *bytes = malloc(size > 0 ? (size_t)size : 1);
  if (!bytes || fread(bytes, 1, (size_t)size, file) != (size_t)size) return 2;
  fclose(file);

  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) return 2;
  yaml_parser_set_input_string(&parser, bytes, (size_t)size);
  yaml_document_t document;
  if (!yaml_parser_load(&parser, &document)) return 1;
  int loaded = yaml_document_get_root_node(&document) != NULL;
  yaml_document_delete(&document);
  yaml_parser_delete(&parser);
  free(bytes);
  return loaded ? 0 : 1;
}
