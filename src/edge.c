/* The program each library is linked into whole by ms_edge_check() (CMakeLists.txt), so that a
 * symbol from a library outside its edge is a link error. It does nothing. */
int main(void)
{
    return 0;
}
