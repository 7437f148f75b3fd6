// Prints the byte offsets of the mjModel/mjData fields that the C# bindings read, taken from the
// installed MuJoCo headers (mjxmacro.h gives each array's element type and dimensions).
//   generate-layout            -> MujocoLayout.g.cs on stdout
//   generate-layout --list     -> one line per constant, read by LayoutTests to check the .g.cs file
// Run generate-layout.sh to rebuild MujocoLayout.g.cs; add a field name below to bind a new array.
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mujoco/mujoco.h>
#include <mujoco/mjxmacro.h>

static const char* model_ints[] = {
  "nq", "nv", "nu", "na", "nbody", "njnt", "ngeom", "nsite", "nsensor", "nsensordata",
  "nmocap", "nkey", "ntendon", "nuserdata", "nconmax", "njmax", NULL};

static const char* model_arrays[] = {
  "qpos0", "qpos_spring",
  "body_parentid", "body_rootid", "body_weldid", "body_mocapid", "body_jntnum", "body_jntadr",
  "body_dofnum", "body_dofadr", "body_geomnum", "body_geomadr", "body_pos", "body_quat",
  "body_ipos", "body_iquat", "body_mass", "body_subtreemass", "body_inertia",
  "jnt_type", "jnt_qposadr", "jnt_dofadr", "jnt_bodyid", "jnt_limited", "jnt_pos", "jnt_axis",
  "jnt_stiffness", "jnt_range",
  "dof_bodyid", "dof_jntid", "dof_frictionloss", "dof_armature", "dof_damping",
  "geom_type", "geom_bodyid", "geom_size", "geom_pos", "geom_quat", "geom_friction",
  "site_bodyid", "site_pos", "site_quat", "site_size",
  "actuator_trntype", "actuator_dyntype", "actuator_gaintype", "actuator_biastype",
  "actuator_trnid", "actuator_ctrllimited", "actuator_forcelimited", "actuator_gainprm",
  "actuator_biasprm", "actuator_ctrlrange", "actuator_forcerange", "actuator_gear",
  "sensor_type", "sensor_objtype", "sensor_objid", "sensor_dim", "sensor_adr",
  NULL};

static const char* data_arrays[] = {
  "qpos", "qvel", "act", "qacc_warmstart", "ctrl", "qfrc_applied", "xfrc_applied",
  "mocap_pos", "mocap_quat", "qacc", "act_dot", "sensordata",
  "xpos", "xquat", "xmat", "xipos", "ximat", "xanchor", "xaxis", "geom_xpos", "geom_xmat",
  "site_xpos", "site_xmat", "subtree_com", "actuator_length", "actuator_velocity", "cvel",
  "qfrc_bias", "qfrc_passive", "subtree_linvel", "subtree_angmom", "actuator_force",
  "qfrc_actuator", "qfrc_constraint", "cfrc_ext",
  NULL};

static int list_mode;
static int missing;

static int wanted(const char** names, const char* name) {
  for (int i = 0; names[i]; i++)
    if (!strcmp(names[i], name)) return 1;
  return 0;
}

static void check_found(const char* owner, const char** names, const char* found) {
  for (int i = 0; names[i]; i++) {
    char key[256];
    snprintf(key, sizeof key, "|%s|", names[i]);
    if (!strstr(found, key)) {
      fprintf(stderr, "%s.%s is not a field of this MuJoCo version\n", owner, names[i]);
      missing++;
    }
  }
}

static const char* cs_type(const char* ctype, size_t size) {
  if (!strcmp(ctype, "mjtNum") && size == 8) return "double";
  if (!strcmp(ctype, "int") && size == 4) return "int";
  if (!strcmp(ctype, "float") && size == 4) return "float";
  if ((!strcmp(ctype, "mjtByte") || !strcmp(ctype, "char")) && size == 1) return "byte";
  fprintf(stderr, "no C# type for C type %s of %zu bytes\n", ctype, size);
  exit(1);
}

static void emit_const(const char* owner, const char* name, size_t value) {
  if (list_mode) printf("const %s.%s %zu\n", owner, name, value);
  else printf("        public const int %s = %zu;\n", name, value);
}

// An int field read in place: its size is checked here so the C# side can read 4 bytes.
static void emit_int_field(const char* owner, const char* name, size_t offset, size_t size) {
  if (size != 4) { fprintf(stderr, "%s.%s is %zu bytes, not an int\n", owner, name, size); exit(1); }
  emit_const(owner, name, offset);
}

static void emit_array(char* found, const char* owner, const char* name, const char* ctype,
                       size_t size, size_t offset, size_t rows_offset, int cols) {
  const char* type = cs_type(ctype, size);
  strcat(found, "|"); strcat(found, name); strcat(found, "|");
  if (list_mode)
    printf("array %s.%s %s %zu %zu %d\n", owner, name, type, offset, rows_offset, cols);
  else
    printf("        public static readonly MjArrayField<%s> %s = new(%zu, %zu, %d);\n",
           type, name, offset, rows_offset, cols);
}

static void emit_model(void) {
  static char found[16384];
  mjModel zero;
  memset(&zero, 0, sizeof zero);
  mjModel* m = &zero;
  if (!list_mode) printf("    internal static class mjModel\n    {\n");
  emit_const("mjModel", "sizeof_mjModel", sizeof(mjModel));
#define X(name) \
  if (wanted(model_ints, #name)) { \
    strcat(found, "|" #name "|"); \
    emit_int_field("mjModel", #name, offsetof(mjModel, name), sizeof(m->name)); }
  MJMODEL_INTS
#undef X
  check_found("mjModel", model_ints, found);
  found[0] = 0;
  if (sizeof(m->opt.timestep) != 8 || sizeof(m->opt.gravity) != 24) {
    fprintf(stderr, "mjOption.timestep/gravity are not mjtNum/mjtNum[3]\n");
    exit(1);
  }
  emit_const("mjModel", "opt_timestep", offsetof(mjModel, opt.timestep));
  emit_const("mjModel", "opt_gravity", offsetof(mjModel, opt.gravity));
  {
    MJMODEL_POINTERS_PREAMBLE(m)
#define X(type, name, nr, nc) \
    if (wanted(model_arrays, #name)) \
      emit_array(found, "mjModel", #name, #type, sizeof(type), offsetof(mjModel, name), \
                 offsetof(mjModel, nr), (int)(nc));
    MJMODEL_POINTERS
#undef X
  }
  check_found("mjModel", model_arrays, found);
  if (!list_mode) printf("    }\n\n");
}

static void emit_data(void) {
  static char found[16384];
  mjModel zero;
  memset(&zero, 0, sizeof zero);
  mjModel* m = &zero;
  mjData* d = NULL;
  if (!list_mode) printf("    internal static class mjData\n    {\n");
  emit_const("mjData", "sizeof_mjData", sizeof(mjData));
  if (sizeof(d->time) != 8) { fprintf(stderr, "mjData.time is not mjtNum\n"); exit(1); }
  emit_const("mjData", "time", offsetof(mjData, time));
  emit_int_field("mjData", "ncon", offsetof(mjData, ncon), sizeof(d->ncon));
  emit_const("mjData", "warning", offsetof(mjData, warning));
  emit_const("mjData", "sizeof_mjWarningStat", sizeof(mjWarningStat));
  emit_int_field("mjData", "mjWarningStat_number", offsetof(mjWarningStat, number),
                 sizeof(d->warning[0].number));
  emit_const("mjData", "mjNWARNING", mjNWARNING);
  {
    MJDATA_POINTERS_PREAMBLE(m)
#define X(type, name, nr, nc) \
    if (wanted(data_arrays, #name)) \
      emit_array(found, "mjData", #name, #type, sizeof(type), offsetof(mjData, name), \
                 offsetof(mjModel, nr), (int)(nc));
    MJDATA_POINTERS
#undef X
  }
  check_found("mjData", data_arrays, found);
  if (!list_mode) printf("    }\n");
}

int main(int argc, char** argv) {
  list_mode = argc > 1 && !strcmp(argv[1], "--list");
  if (list_mode) {
    printf("const mjVERSION_HEADER %d\n", mjVERSION_HEADER);
  } else {
    printf("// <auto-generated>\n"
           "// Generated from the MuJoCo headers (mjVERSION_HEADER %d) by\n"
           "// sim-bridge/Robotics.Sim/Mujoco/generate-layout.sh; do not edit by hand.\n"
           "// To regenerate: bash sim-bridge/Robotics.Sim/Mujoco/generate-layout.sh\n"
           "// Array fields: (byte offset of the pointer in the struct, byte offset in mjModel of\n"
           "// the int that counts the rows, columns per row).\n"
           "// </auto-generated>\n"
           "namespace Robotics.Sim.Mujoco;\n\n"
           "internal static class MujocoLayout\n{\n"
           "    public const int mjVERSION_HEADER = %d;\n\n", mjVERSION_HEADER, mjVERSION_HEADER);
  }
  emit_model();
  emit_data();
  if (!list_mode) printf("}\n");
  return missing ? 1 : 0;
}
