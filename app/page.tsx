// "/" sends people to their rooms (which sends signed-out visitors to sign-in).
import { redirect } from "next/navigation";

export default function Home() {
  redirect("/rooms");
}
